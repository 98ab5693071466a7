// `kiln import` end to end: the real binary on a real site and kiln.db,
// with the fixtures of tests/fixtures/import/ (issue 8).
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "cli_runner.h"
#include "import/import_test_util.h"
#include "site_fixture.h"

namespace kiln {
namespace {

using testing::FixturePath;
using testing::RunKiln;
using testing::SiteFlag;
using Urls = std::vector<std::string>;

// A blog that moved from a Jekyll-style host: posts at
// /:year/:month/:day/:title.html, one with an alias, and newer posts that
// fill the home page, so the old ones show on /page/2/.
class ImportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.WriteFile("kiln.toml",
                    "title = \"Moved blog\"\nbase_url = \"https://blog.example/\"\nposts_per_page = 2\n"
                    "[permalinks]\npost = \"/:year/:month/:day/:title.html\"\n");
    site_.WriteFile("content/posts/2014-09-15-launch-day.md", "---\ntitle: Launch day\n---\nWe launched.\n");
    site_.WriteFile("content/posts/2015-01-10-second-post.md",
                    "---\ntitle: Second post\naliases: [/old/second/]\n---\nAgain.\n");
    site_.WriteFile("content/posts/2016-03-07-unicode-post.md", "---\ntitle: Unicode post\n---\nÇa.\n");
    site_.WriteFile("content/posts/2020-01-01-newer.md", "---\ntitle: Newer\n---\nNew.\n");
    site_.WriteFile("content/posts/2021-01-01-newest.md", "---\ntitle: Newest\n---\nNewest.\n");
    ASSERT_EQ(Run("build").exit_code, 0);
  }
  testing::KilnRun Run(const std::string& args) { return RunKiln(args + SiteFlag(site_.root())); }
  Urls BuildRendered() {
    testing::KilnRun run = Run("build --json");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return nlohmann::json::parse(run.out)["rendered"].get<Urls>();
  }
  // "post|author|email|body|created_at|status|parent's author" per comment, by id.
  std::vector<std::string> Comments() {
    SQLite::Database db((site_.root() / "kiln.db").string(), SQLite::OPEN_READONLY);
    SQLite::Statement q(db,
                        "SELECT c.post, c.author, c.email, c.body, c.created_at, c.status, coalesce(p.author, '-') "
                        "FROM comments c LEFT JOIN comments p ON p.id = c.parent ORDER BY c.id");
    std::vector<std::string> rows;
    while (q.executeStep()) {
      std::string row;
      for (int i = 0; i < 7; ++i) row += (i ? "|" : "") + q.getColumn(i).getString();
      rows.push_back(row);
    }
    return rows;
  }

  testing::TempSite site_;
};

TEST_F(ImportCommandTest, DisqusExportImportsAndNextBuildRendersExactlyTheCommentedPosts) {
  testing::KilnRun run = Run("import disqus '" + FixturePath("disqus_export.xml") + "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "kiln: imported 6 comments on 3 posts from " + FixturePath("disqus_export.xml") +
                         " (1 reply, 1 spam); 0 duplicates skipped, 1 deleted skipped, 1 unmatched thread "
                         "(1 comment skipped): https://oldblog.example/2013/01/01/gone.html\n");
  EXPECT_EQ(Comments(),
            (std::vector<std::string>{
                "launch-day|Ada Lovelace|ada@example.org|Great launch! See [the docs](<https://example.org/docs?a=1&b=2>)."
                "\n\n2 \\* 3 = 6 \\& that's fine|2014-09-15T10:00:00Z|published|-",
                "launch-day|Grace|grace@example.org|Thanks, Ada!|2014-09-15T11:30:00Z|published|Ada Lovelace",
                "launch-day|Spammer|spam@spam.example|Buy [cheap watches](<http://spam.example/>)|"
                "2014-09-16T00:00:00Z|spam|-",
                "launch-day|Anonymous||Replying to a comment that was deleted.|2014-09-16T10:00:00Z|published|-",
                "second-post|Zoë Ünïcødé 日本|zoe@example.org|Ça marche — 日本語 ✓|2015-01-11T10:00:00Z|published|-",
                "unicode-post|<b>Mallory</b>|mallory@example.org|Hi\\\nthere click|2016-03-08T00:00:00Z|published|-",
            }));
  // The three posts with new published comments, and the listing that
  // shows their comment counts; nothing else.
  EXPECT_EQ(BuildRendered(), (Urls{"/2014/09/15/launch-day.html", "/2015/01/10/second-post.html",
                                   "/2016/03/07/unicode-post.html", "/page/2/", "/page/3/"}));
  const std::string page = site_.ReadFile("site/2014/09/15/launch-day.html");
  EXPECT_NE(page.find("Ada Lovelace"), std::string::npos);
  EXPECT_EQ(page.find("cheap watches"), std::string::npos);  // spam is not shown
}

TEST_F(ImportCommandTest, ImportingTheSameFileTwiceAddsNothing) {
  ASSERT_EQ(Run("import disqus '" + FixturePath("disqus_export.xml") + "'").exit_code, 0);
  BuildRendered();
  testing::KilnRun again = Run("import disqus --json '" + FixturePath("disqus_export.xml") + "'");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const auto j = nlohmann::json::parse(again.out);
  EXPECT_EQ(j["imported"], 0);
  EXPECT_EQ(j["duplicates"], 6);
  EXPECT_EQ(Comments().size(), 6u);
  EXPECT_EQ(BuildRendered(), Urls{});
}

TEST_F(ImportCommandTest, DryRunStoresNothing) {
  testing::KilnRun run = Run("import disqus --dry-run --json '" + FixturePath("disqus_export.xml") + "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out)["imported"], 6);
  EXPECT_EQ(run.err.rfind("kiln: dry run: would import 6 comments on 3 posts", 0), 0u) << run.err;
  EXPECT_TRUE(Comments().empty());
  EXPECT_EQ(BuildRendered(), Urls{});
}

// A malformed file imports nothing: one message naming the file and line.
TEST_F(ImportCommandTest, MalformedExportImportsNothing) {
  std::string xml = unit::ReadFileOrEmpty(FixturePath("disqus_export.xml"));
  xml.resize(xml.find("</post>", xml.find("dsq:id=\"2001\"")));  // cut inside the sixth post
  const auto bad = site_.root() / "bad.xml";
  unit::WriteFileOrDie(bad, xml);
  testing::KilnRun run = Run("import disqus '" + bad.string() + "'");
  EXPECT_EQ(run.exit_code, 1);
  // The file ends on line 103, inside the <post> opened on line 96.
  EXPECT_EQ(run.err, "kiln: error: " + bad.string() + ":103: malformed XML: Premature end of data in tag post line 96\n");
  EXPECT_TRUE(Comments().empty());
}

TEST_F(ImportCommandTest, IssoDatabaseImports) {
  const auto isso = site_.root() / "isso.db";
  testing::MakeIssoDatabase(isso);
  testing::KilnRun run = Run("import isso '" + isso.string() + "'");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "kiln: imported 5 comments on 2 posts from " + isso.string() +
                         " (1 reply, 1 pending); 0 duplicates skipped, 1 deleted skipped, 1 unmatched thread "
                         "(1 comment skipped): /2013/01/01/gone.html\n");
  EXPECT_EQ(Comments(), (std::vector<std::string>{
                            "launch-day|Ada|ada@example.org|First *markdown* comment|2014-09-15T10:00:00Z|published|-",
                            "launch-day|Grace||A reply|2014-09-15T11:30:00Z|published|Ada",
                            "launch-day|Anonymous||Waiting for moderation|2014-09-15T16:53:20Z|pending|-",
                            "launch-day|Linus||Reply to a deleted one|2014-09-15T22:26:40Z|published|-",
                            "second-post|Zoë|zoe@example.org|Ça marche — 日本語 ✓|2015-01-11T18:13:20Z|published|-",
                        }));
  EXPECT_EQ(BuildRendered(), (Urls{"/2014/09/15/launch-day.html", "/2015/01/10/second-post.html", "/page/2/",
                                   "/page/3/"}));
  EXPECT_EQ(nlohmann::json::parse(Run("import isso --json '" + isso.string() + "'").out)["duplicates"], 5);
}

TEST_F(ImportCommandTest, UnknownFormatIsAUsageError) {
  EXPECT_EQ(Run("import wordpress x.xml").exit_code, 2);
}

}  // namespace
}  // namespace kiln
