// Loads the fixture sites of tests/fixtures: test_site/ loads cleanly, and
// each folder of test_sites_invalid/ fails with the file and line written in
// its EXPECTED file (as zola keeps test_site/ and test_sites_invalid/).
#include <gtest/gtest.h>

#include "load/content_loader.h"
#include "load/site_index.h"
#include "unit_test_util.h"
#include "util/strings.h"

namespace kiln {
namespace {

const std::filesystem::path kFixtures = std::filesystem::path(KILN_SOURCE_DIR) / "tests/fixtures";

TEST(Fixtures, TestSiteLoads) {
  SourceCache cache;
  SiteContent content;
  Status s = LoadContent(kFixtures / "test_site", false, &cache, &content);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(content.posts.size(), 6u);
  EXPECT_EQ(content.pages.size(), 2u);
  EXPECT_EQ(content.config.base_url, "https://example.org/blog/");
  SiteIndex index(content, /*now=*/1'900'000'000);  // 2030: the draft and 2999 post stay out
  EXPECT_EQ(index.posts().size(), 4u);
  EXPECT_NE(index.FindPost("crlf"), nullptr);
  EXPECT_NE(index.FindPost("bom"), nullptr);
  EXPECT_NE(index.FindPost("second-post"), nullptr);
  EXPECT_EQ(index.FindPost("draft"), nullptr);
  EXPECT_EQ(index.FindPost("future"), nullptr);
  EXPECT_NE(index.FindTag("news"), nullptr);
  EXPECT_NE(index.FindPage("made-with"), nullptr);
}

class InvalidFixtureTest : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidFixtureTest, FailsNamingFileAndLine) {
  const std::filesystem::path root = kFixtures / "test_sites_invalid" / GetParam();
  const std::string expected = Trim(unit::ReadFileOrEmpty(root / "EXPECTED"));
  ASSERT_FALSE(expected.empty()) << "no EXPECTED in " << root;
  SourceCache cache;
  SiteContent content;
  Status s = LoadContent(root, false, &cache, &content);
  ASSERT_FALSE(s.ok()) << GetParam();
  EXPECT_NE(s.ToString().find(expected), std::string::npos)
      << GetParam() << ": expected '" << expected << "' in: " << s.ToString();
  size_t colon = expected.rfind(':');
  if (colon != std::string::npos) EXPECT_EQ(s.line(), std::stoi(expected.substr(colon + 1)));
}

std::vector<std::string> InvalidFixtures() {
  std::vector<std::string> names;
  for (const auto& entry :
       std::filesystem::directory_iterator(kFixtures / "test_sites_invalid")) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(AllInvalidSites, InvalidFixtureTest, ::testing::ValuesIn(InvalidFixtures()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace kiln
