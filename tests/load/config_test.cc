#include "load/config.h"

#include <gtest/gtest.h>

#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::TempDir;
using unit::WriteFileOrDie;

class ConfigTest : public ::testing::Test {
 protected:
  // Writes `toml` as kiln.toml and loads it into config_.
  Status Load(const std::string& toml) {
    WriteFileOrDie(file(), toml);
    return LoadConfig(file(), &config_);
  }
  std::filesystem::path file() const { return dir_ / "kiln.toml"; }

  TempDir dir_;
  Config config_;
};

TEST_F(ConfigTest, EmptyFileGivesDefaults) {
  // SPEC.md: posts_per_page defaults to 10, feed_size to 20; [comments]
  // moderation "auto", max_length 10000, rate_limit_per_minute 5.
  ASSERT_TRUE(Load("").ok());
  EXPECT_EQ(config_.posts_per_page, 10);
  EXPECT_EQ(config_.feed_size, 20);
  EXPECT_EQ(config_.comments.moderation, "auto");
  EXPECT_EQ(config_.comments.max_length, 10000);
  EXPECT_EQ(config_.comments.rate_limit_per_minute, 5);
  EXPECT_EQ(config_.server.host, "127.0.0.1");
  EXPECT_EQ(config_.server.port, 8080);
  EXPECT_EQ(config_.server.connections_per_address, 64);
  EXPECT_EQ(config_.server.timeout_seconds, 30);
  EXPECT_EQ(config_.base_url.back(), '/');
}

TEST_F(ConfigTest, ReadsEveryKey) {
  Status s = Load(R"(title = "T"
base_url = "https://example.org/blog/"
description = "D"
author = "Ada"
posts_per_page = 3
feed_size = 7
feed_content = "full"
[comments]
moderation = "manual"
max_length = 500
rate_limit_per_minute = 0
[server]
host = "0.0.0.0"
port = 9000
connections_per_address = 8
timeout_seconds = 5
)");
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(config_.title, "T");
  EXPECT_EQ(config_.base_url, "https://example.org/blog/");
  EXPECT_EQ(config_.description, "D");
  EXPECT_EQ(config_.author, "Ada");
  EXPECT_EQ(config_.posts_per_page, 3);
  EXPECT_EQ(config_.feed_size, 7);
  EXPECT_EQ(config_.feed_content, "full");
  EXPECT_EQ(config_.comments.moderation, "manual");
  EXPECT_EQ(config_.comments.max_length, 500);
  EXPECT_EQ(config_.comments.rate_limit_per_minute, 0);  // 0 = off
  EXPECT_EQ(config_.server.host, "0.0.0.0");
  EXPECT_EQ(config_.server.port, 9000);
  EXPECT_EQ(config_.server.connections_per_address, 8);
  EXPECT_EQ(config_.server.timeout_seconds, 5);
}

// Issue 8: feeds carry summaries unless feed_content = "full"; any other
// value names the file and line, as every config mistake does.
TEST_F(ConfigTest, FeedContentIsSummaryByDefaultFullOnRequestAndNothingElse) {
  ASSERT_TRUE(Load("").ok());
  EXPECT_EQ(config_.feed_content, "summary");
  ASSERT_TRUE(Load("feed_content = \"full\"\n").ok());
  EXPECT_EQ(config_.feed_content, "full");
  Status s = Load("title = \"T\"\nfeed_content = \"everything\"\n");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.file(), file().string());
  EXPECT_EQ(s.line(), 2);
  EXPECT_EQ(s.message(), "feed_content must be \"summary\" or \"full\"");
  EXPECT_EQ(Load("feed_content = true\n").line(), 1);
}

TEST_F(ConfigTest, MarkdownHighlightIsOnByDefaultAndCanBeTurnedOff) {
  ASSERT_TRUE(Load("").ok());
  EXPECT_TRUE(config_.markdown.highlight);
  ASSERT_TRUE(Load("[markdown]\nhighlight = false\n").ok());
  EXPECT_FALSE(config_.markdown.highlight);
  Status s = Load("[markdown]\nhighlight = \"no\"\n");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.line(), 2) << s.ToString();
  s = Load("[markdown]\ntheme = \"dark\"\n");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("markdown.theme"), std::string::npos) << s.ToString();
}

// toml++ 3.3.0 (Debian 12's) reaches __builtin_unreachable() when it looks
// for whitespace and finds some non-ASCII code points (upstream issues 190
// and 295, found here by fuzz/config_fuzzer once toml++ was compiled into
// kiln). What a build of kiln does with such a file: a parse error, and the
// `unknown key` of a file that parses.
TEST_F(ConfigTest, NonAsciiWhereTomlExpectsWhitespaceIsAnError) {
  Status s =
      Load(std::string("\xef\xbb\x9f sm\x04\0\0\0\0\0\0\0al|l vanute =!0\n\n[se127. 8081\n", 44));
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  s = Load("s = \"\"\"\\\n\xc2\xa7\"\"\"\n");  // upstream issue 190's document
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.ToString().find("unknown key 's'"), std::string::npos) << s.ToString();
}

TEST_F(ConfigTest, BaseUrlGetsTrailingSlash) {
  // Page URLs are joined onto base_url, which therefore always ends in '/'.
  ASSERT_TRUE(Load("base_url = \"https://example.org/blog\"\n").ok());
  EXPECT_EQ(config_.base_url, "https://example.org/blog/");
}

TEST_F(ConfigTest, InlineTablesAreAccepted) {
  ASSERT_TRUE(Load("comments = { moderation = \"manual\" }\n").ok());
  EXPECT_EQ(config_.comments.moderation, "manual");
}

TEST_F(ConfigTest, MissingFileIsNotFound) {
  Status s = LoadConfig(dir_ / "nope.toml", &config_);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.file(), (dir_ / "nope.toml").string());
}

// Unknown keys are an error with file and line (SPEC.md, kiln.toml row).
TEST_F(ConfigTest, UnknownTopLevelKeyNamesFileAndLine) {
  Status s = Load("title = \"T\"\n\npost_per_page = 3\n");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.file(), file().string());
  EXPECT_EQ(s.line(), 3);
  EXPECT_NE(s.message().find("post_per_page"), std::string::npos) << s.message();
}

TEST_F(ConfigTest, UnknownCommentsKeyNamesLine) {
  Status s = Load("title = \"T\"\n[comments]\nmoderation = \"auto\"\nmax_lenght = 5\n");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.file(), file().string());
  EXPECT_EQ(s.line(), 4);
  EXPECT_NE(s.message().find("comments.max_lenght"), std::string::npos) << s.message();
}

TEST_F(ConfigTest, UnknownServerKeyNamesLine) {
  Status s = Load("[server]\nport = 8000\n\n\nhots = \"x\"\n");
  EXPECT_EQ(s.line(), 5);
  EXPECT_NE(s.message().find("server.hots"), std::string::npos) << s.message();
}

// SPEC.md, "The edge": [edge] purge lists the caches to purge after a build.
TEST_F(ConfigTest, ReadsEdgeTable) {
  ASSERT_TRUE(Load("[edge]\npurge = [\"http://127.0.0.1:6081\", \"https://cache.example/\"]\n"
                   "xkey_purge = true\ntimeout_ms = 500\nretries = 0\n").ok());
  EXPECT_EQ(config_.edge.purge,
            (std::vector<std::string>{"http://127.0.0.1:6081", "https://cache.example/"}));
  EXPECT_TRUE(config_.edge.xkey_purge);
  EXPECT_EQ(config_.edge.timeout_ms, 500);
  EXPECT_EQ(config_.edge.retries, 0);
}

TEST_F(ConfigTest, EdgeDefaultsPurgeNothing) {
  ASSERT_TRUE(Load("").ok());
  EXPECT_TRUE(config_.edge.purge.empty());
  EXPECT_FALSE(config_.edge.xkey_purge);
  EXPECT_EQ(config_.edge.timeout_ms, 2000);
  EXPECT_EQ(config_.edge.retries, 2);
}

// Issue 9: the stats routes are off the public site unless configured, and
// then open to loopback only unless `allow` says otherwise.
TEST_F(ConfigTest, StatsAreOffAndLoopbackOnlyByDefault) {
  ASSERT_TRUE(Load("").ok());
  EXPECT_FALSE(config_.stats.enabled);
  EXPECT_EQ(config_.stats.allow, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_TRUE(config_.stats.record);
  EXPECT_EQ(config_.stats.flush_seconds, 5);
}

TEST_F(ConfigTest, ReadsStatsTable) {
  ASSERT_TRUE(Load("[stats]\nenabled = true\nallow = [\"10.0.0.7\"]\nrecord = false\nflush_seconds = 2\n").ok());
  EXPECT_TRUE(config_.stats.enabled);
  EXPECT_EQ(config_.stats.allow, (std::vector<std::string>{"10.0.0.7"}));
  EXPECT_FALSE(config_.stats.record);
  EXPECT_EQ(config_.stats.flush_seconds, 2);
}

TEST_F(ConfigTest, UnknownStatsKeyNamesLine) {
  Status s = Load("[stats]\nenabled = true\ntoken = \"x\"\n");
  EXPECT_EQ(s.line(), 3);
  EXPECT_NE(s.message().find("stats.token"), std::string::npos) << s.message();
}

TEST_F(ConfigTest, UnknownEdgeKeyNamesLine) {
  Status s = Load("[edge]\npurge = []\npurges = []\n");
  EXPECT_EQ(s.line(), 3);
  EXPECT_NE(s.message().find("edge.purges"), std::string::npos) << s.message();
}

TEST_F(ConfigTest, UnknownTableIsAnError) {
  Status s = Load("title = \"T\"\n[build]\nx = 1\n");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.line(), 2);
}

struct BadValue {
  const char* toml;
  int line;
};

// Wrong types and out-of-range values name the line of the value.
class ConfigBadValueTest : public ConfigTest, public ::testing::WithParamInterface<BadValue> {};

TEST_P(ConfigBadValueTest, NamesFileAndLine) {
  Status s = Load(GetParam().toml);
  EXPECT_EQ(s.code(), Status::Code::kInvalid) << GetParam().toml;
  EXPECT_EQ(s.file(), file().string());
  EXPECT_EQ(s.line(), GetParam().line) << GetParam().toml << " -> " << s.ToString();
}

INSTANTIATE_TEST_SUITE_P(
    WrongTypesAndRanges, ConfigBadValueTest,
    ::testing::Values(BadValue{"title = 3\n", 1}, BadValue{"\nbase_url = true\n", 2},
                      BadValue{"description = [1]\n", 1}, BadValue{"\n\nauthor = 1.5\n", 3},
                      BadValue{"posts_per_page = \"10\"\n", 1},
                      BadValue{"posts_per_page = 0\n", 1},
                      BadValue{"title = \"a\"\nposts_per_page = -4\n", 2},
                      BadValue{"feed_size = 10001\n", 1},
                      BadValue{"feed_size = 9999999999999\n", 1},
                      BadValue{"posts_per_page = 2.0\n", 1},
                      BadValue{"comments = 3\n", 1},
                      BadValue{"server = \"x\"\n", 1},
                      BadValue{"[comments]\nmoderation = \"sometimes\"\n", 2},
                      BadValue{"[comments]\nmoderation = 1\n", 2},
                      BadValue{"[comments]\nmax_length = 0\n", 2},
                      BadValue{"[comments]\n\nrate_limit_per_minute = -1\n", 3},
                      BadValue{"[server]\nport = 65536\n", 2},
                      BadValue{"[server]\nport = \"80\"\n", 2},
                      BadValue{"[server]\nhost = 127\n", 2},
                      BadValue{"[server]\nconnections_per_address = 0\n", 2},
                      BadValue{"[server]\ntimeout_seconds = 0\n", 2},
                      BadValue{"[edge]\npurge = \"http://127.0.0.1:6081\"\n", 2},
                      BadValue{"[edge]\npurge = [\n  \"http://a\",\n  \"127.0.0.1:6081\",\n]\n", 4},
                      BadValue{"[edge]\npurge = [1]\n", 2},
                      BadValue{"[edge]\nxkey_purge = \"yes\"\n", 2},
                      BadValue{"[edge]\ntimeout_ms = 0\n", 2},
                      BadValue{"[edge]\nretries = 11\n", 2}));

TEST_F(ConfigTest, MalformedTomlGivesLine) {
  Status s = Load("title = \"T\"\ndescription = \"unterminated\nauthor = \"x\"\n");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.file(), file().string());
  EXPECT_EQ(s.line(), 2) << s.ToString();
}

TEST_F(ConfigTest, DuplicateKeyIsMalformed) {
  Status s = Load("title = \"a\"\ntitle = \"b\"\n");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.line(), 2) << s.ToString();
}

TEST_F(ConfigTest, ErrorLeavesOutputUntouched) {
  // Header contract: `out` is untouched on error.
  config_.title = "before";
  ASSERT_FALSE(Load("title = \"after\"\nbogus = 1\n").ok());
  EXPECT_EQ(config_.title, "before");
}

TEST_F(ConfigTest, ToStringShowsFileColonLine) {
  Status s = Load("\nnope = 1\n");
  EXPECT_EQ(s.ToString().rfind(file().string() + ":2: ", 0), 0u) << s.ToString();
}

// BUG (reported): LoadConfig checks only exists(); toml++ parses a folder
// named kiln.toml as an empty document, so the site silently gets every
// default. Expected: an error naming kiln.toml.
TEST_F(ConfigTest, FolderInsteadOfFileIsAnError) {
  std::filesystem::create_directories(dir_ / "kiln.toml");
  Status s = LoadConfig(file(), &config_);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.file(), file().string());
}

TEST_F(ConfigTest, NonUtf8BytesAreAnErrorNotACrash) {
  Status s = Load(std::string("title = \"\xff\xfe\"\n"));
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.line(), 1);
}

}  // namespace
}  // namespace kiln
