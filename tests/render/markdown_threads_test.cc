// Issue 7, item 1: the same inputs give the same pages whatever the threads
// do. cmark-gfm 0.29.0.gfm.6 keeps the special characters of its inline
// extensions ('~', '|', ':' and friends) in one process-wide table that each
// parse fills and then clears, so two parses at once could drop
// strikethrough, autolinks or table cells from each other's output.
#include <gtest/gtest.h>

#include <atomic>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "render/comment_markdown.h"
#include "render/highlight_cache.h"
#include "render/markdown.h"

namespace kiln {
namespace {

// A body dense in every inline extension, so that any lost table entry
// changes the output.
std::string DenseGfm(int variant) {
  std::string md;
  for (int i = 0; i < 20; ++i) {
    md += "Para " + std::to_string(variant) + " ~~old~~ new, see www.example" + std::to_string(i) +
          ".com and https://a.org/" + std::to_string(i) + " or mail x" + std::to_string(i) +
          "@example.org.\n\n| a | b ~~c~~ |\n|---|---|\n| 1 www.b.org | ~~2~~ |\n\n- [x] done ~~x~~\n\n";
  }
  return md;
}

TEST(MarkdownThreads, ParallelRendersEqualSerialRenders) {
  constexpr int kVariants = 8;
  std::vector<std::string> trusted(kVariants), comment(kVariants);
  for (int v = 0; v < kVariants; ++v) {
    trusted[v] = RenderTrustedMarkdown(DenseGfm(v));
    comment[v] = RenderCommentMarkdown(DenseGfm(v));
    ASSERT_NE(trusted[v].find("<del>old</del>"), std::string::npos);
    ASSERT_NE(trusted[v].find("<td>"), std::string::npos);
    ASSERT_NE(comment[v].find("href=\"http://www.example0.com\""), std::string::npos);
  }
  std::atomic<int> mismatches{0};
  auto work = [&](int seed) {
    for (int round = 0; round < 150; ++round) {
      int v = (seed + round) % kVariants;
      if (RenderTrustedMarkdown(DenseGfm(v)) != trusted[v]) ++mismatches;
      if (RenderCommentMarkdown(DenseGfm(v)) != comment[v]) ++mismatches;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(work, t);
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0) << "renders on 4 threads differed from serial renders";
}

// Fenced code in several languages (issue 8): each thread loads its own
// Source-highlight definitions the first time it meets a language, and
// those loads run at the same time on fresh threads here.
std::string CodeBlocks(int variant) {
  static const char* const kLangs[] = {"cpp", "python", "sh", "json", "js", "sql", "rust", "go", "html"};
  std::string md;
  for (int i = 0; i < 12; ++i) {
    const char* lang = kLangs[(variant + i) % std::size(kLangs)];
    md += std::string("```") + lang + "\n/* c" + std::to_string(i) + " */ int f(\"s<\", 0x" +
          std::to_string(variant) + ") { return x; } # y\nauto r = R\"(raw)\"; 'q' // z\n```\n\n";
  }
  return md;
}

TEST(MarkdownThreads, HighlightedCodeEqualsSerialRenders) {
  // Every render runs the library, not the cache of finished blocks.
  HighlightCache::Shared().set_enabled(false);
  struct Restore {
    ~Restore() { HighlightCache::Shared().set_enabled(true); }
  } restore;
  constexpr int kVariants = 6;
  std::vector<std::string> trusted(kVariants), comment(kVariants);
  for (int v = 0; v < kVariants; ++v) {
    trusted[v] = RenderTrustedMarkdown(CodeBlocks(v));
    comment[v] = RenderCommentMarkdown(CodeBlocks(v));
    ASSERT_NE(trusted[v].find("<span class=\"hl-comment\">"), std::string::npos) << trusted[v];
    ASSERT_EQ(comment[v], trusted[v]);
  }
  std::atomic<int> mismatches{0};
  auto work = [&](int seed) {
    for (int round = 0; round < 60; ++round) {
      int v = (seed + round) % kVariants;
      if (RenderTrustedMarkdown(CodeBlocks(v)) != trusted[v]) ++mismatches;
      if (RenderCommentMarkdown(CodeBlocks(v)) != comment[v]) ++mismatches;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(work, t);
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0) << "highlighted renders on 4 threads differed from serial renders";
}

}  // namespace
}  // namespace kiln
