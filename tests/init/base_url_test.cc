// `kiln init --base-url` and the warning of `kiln build` while base_url is
// still kiln init's placeholder (issue 8: "kiln init asks for, or clearly
// marks, the real base_url"): the rules of init/base_url.h, then the real
// binary.
#include "init/base_url.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "kiln_process.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

using testing::RunKiln;

std::string Normalized(const std::string& url) {
  std::string out;
  const Status s = NormalizeBaseUrl(url, &out);
  return s.ok() ? out : "refused: " + s.message();
}

TEST(InitBaseUrl, AcceptsHttpAndHttpsWithPortAndPathPrefix) {
  EXPECT_EQ(Normalized("https://blog.example/"), "https://blog.example/");
  EXPECT_EQ(Normalized("https://blog.example"), "https://blog.example/");
  EXPECT_EQ(Normalized("HTTPS://Blog.Example"), "https://Blog.Example/");  // the scheme lowercased
  EXPECT_EQ(Normalized("https://you.github.io/blog"), "https://you.github.io/blog/");  // GitHub project pages
  EXPECT_EQ(Normalized("http://10.0.0.5:8080/a/b/"), "http://10.0.0.5:8080/a/b/");
  EXPECT_EQ(Normalized("http://[2001:db8::1]:8080/"), "http://[2001:db8::1]:8080/");
  EXPECT_EQ(Normalized("https://xn--bcher-kva.example/"), "https://xn--bcher-kva.example/");
}

TEST(InitBaseUrl, RefusesWhatIsNotAnAbsoluteWebAddress) {
  for (const char* bad : {"blog.example", "/blog/", "ftp://blog.example/", "https://", "https:///blog/",
                          "https://blog.example/?a=1", "https://blog.example/#top", "https://me@blog.example/",
                          "https://blog.example:0/", "https://blog.example:99999/", "https://blog.example:x/",
                          "https://blog example/", "https://blog.example/a b/", "https://blog.example/\"/",
                          "https://blog.example/../x/", "https://blog.example/a/./", "https://bücher.example/",
                          "https://-x.example/", "https://blog.example\\/", ""}) {
    EXPECT_TRUE(Normalized(bad).starts_with("refused: --base-url ")) << bad << " -> " << Normalized(bad);
  }
  // The message says what is wrong and shows what is expected.
  EXPECT_EQ(Normalized("ftp://blog.example/"),
            "refused: --base-url ftp://blog.example/: it must start with https:// or http:// (an address "
            "such as https://blog.example/ or https://you.github.io/blog/)");
}

TEST(InitBaseUrl, SetsTheTopLevelLineAndDropsTheChangeMeNote) {
  const std::string toml =
      "title = \"t\"\n# CHANGE ME before publishing: the address readers use, e.g.\n# \"https://x/\"\n"
      "base_url = \"http://127.0.0.1:8080/\"\n[server]\nbase_url = \"not this one\"\n";
  std::string out;
  ASSERT_TRUE(WithBaseUrl(toml, "https://blog.example/", &out).ok());
  EXPECT_EQ(out,
            "title = \"t\"\n# The address readers use, e.g.\n# \"https://x/\"\n"
            "base_url = \"https://blog.example/\"\n[server]\nbase_url = \"not this one\"\n");
  EXPECT_FALSE(WithBaseUrl("title = \"t\"\n[x]\nbase_url = \"a\"\n", "https://b/", &out).ok());
}

class InitBaseUrlCli : public ::testing::Test {
 protected:
  std::string SitePath() const { return (dir_.path() / "blog").string(); }
  std::string Read(const std::string& rel) const { return unit::ReadFileOrEmpty(dir_.path() / "blog" / rel); }
  unit::TempDir dir_;
};

// The address goes into kiln.toml, and from there into the feed and
// canonical links; the build does not warn.
TEST_F(InitBaseUrlCli, InitWithBaseUrlBuildsLinksToItWithoutAWarning) {
  const auto init = RunKiln(KILN_BINARY, {"init", SitePath(), "--base-url", "https://you.github.io/blog"});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_EQ(init.err.find("placeholder"), std::string::npos) << init.err;
  const std::string toml = Read("kiln.toml");
  EXPECT_NE(toml.find("\nbase_url = \"https://you.github.io/blog/\"\n"), std::string::npos) << toml;
  EXPECT_EQ(toml.find("CHANGE ME"), std::string::npos);
  const auto build = RunKiln(KILN_BINARY, {"build", "--site", SitePath()});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_EQ(build.err.find("warning"), std::string::npos) << build.err;
  EXPECT_NE(Read("site/feed.xml").find("https://you.github.io/blog/posts/hello-kiln/"), std::string::npos);
  EXPECT_NE(Read("site/index.html").find("href=\"/blog/tags/\""), std::string::npos);  // the path prefix
}

TEST_F(InitBaseUrlCli, BadBaseUrlIsRefusedAndNothingIsWritten) {
  const auto init = RunKiln(KILN_BINARY, {"init", SitePath(), "--base-url", "blog.example"});
  EXPECT_EQ(init.exit_code, 1);
  EXPECT_EQ(init.err,
            "kiln: error: --base-url blog.example: it must start with https:// or http:// (an address such as "
            "https://blog.example/ or https://you.github.io/blog/)\n");
  EXPECT_FALSE(std::filesystem::exists(SitePath()));
}

// Without --base-url, init says the address is a placeholder, and every
// `kiln build` says so again in one line, until it is changed; --quiet
// leaves it out, and the build works either way.
TEST_F(InitBaseUrlCli, PlaceholderIsMarkedAtInitAndWarnedOfAtEachBuild) {
  const auto init = RunKiln(KILN_BINARY, {"init", SitePath()});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.err.find("base_url in kiln.toml is a placeholder (http://127.0.0.1:8080/)"), std::string::npos)
      << init.err;
  EXPECT_NE(init.err.find("kiln init --base-url URL"), std::string::npos) << init.err;
  const std::string warning =
      "kiln: warning: base_url in kiln.toml is http://127.0.0.1:8080/, an address on this machine: set it to "
      "the address readers will use (e.g. https://blog.example/) before publishing site/\n";
  const auto build = RunKiln(KILN_BINARY, {"build", "--json", "--site", SitePath()});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_NE(build.err.find(warning), std::string::npos) << build.err;  // after the first build's note
  EXPECT_EQ(build.out.find("warning"), std::string::npos);  // stdout stays the JSON report
  const auto again = RunKiln(KILN_BINARY, {"build", "--site", SitePath()});
  EXPECT_TRUE(again.err.starts_with(warning + "kiln: ")) << again.err;  // then the summary line
  EXPECT_NE(again.err.find(" 0 rendered"), std::string::npos) << again.err;
  const auto quiet = RunKiln(KILN_BINARY, {"build", "--quiet", "--site", SitePath()});
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "");
}

}  // namespace
}  // namespace kiln
