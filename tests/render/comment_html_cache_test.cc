#include "render/comment_html_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "render/comment_markdown.h"
#include "render/markdown.h"

namespace kiln {
namespace {

TEST(CommentHtmlCache, RendersAsTheRendererAndRemembers) {
  CommentHtmlCache cache;
  const std::string body = "Hi *there*, see <script>alert(1)</script> and www.kiln.example";
  EXPECT_EQ(cache.Render(body), RenderCommentMarkdown(body));
  EXPECT_EQ(cache.Render(body), RenderCommentMarkdown(body));
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.Render("Other"), RenderCommentMarkdown("Other"));
  EXPECT_EQ(cache.misses(), 2u);
}

// Bodies that differ in one byte are different entries (the key is the body).
TEST(CommentHtmlCache, NearlyEqualBodiesAreNotConfused) {
  CommentHtmlCache cache;
  EXPECT_EQ(cache.Render("**a**"), RenderCommentMarkdown("**a**"));
  EXPECT_EQ(cache.Render("**b**"), RenderCommentMarkdown("**b**"));
  EXPECT_EQ(cache.Render(std::string("x\0y", 3)), RenderCommentMarkdown(std::string("x\0y", 3)));
  EXPECT_EQ(cache.Render(std::string("x\0z", 3)), RenderCommentMarkdown(std::string("x\0z", 3)));
  EXPECT_EQ(cache.hits(), 0u);
}

// Past its bound it starts over, and still answers right.
TEST(CommentHtmlCache, StaysWithinItsBound) {
  CommentHtmlCache cache(/*max_bytes=*/200);
  for (int i = 0; i < 50; ++i) {
    const std::string body = "comment number " + std::to_string(i);
    EXPECT_EQ(cache.Render(body), RenderCommentMarkdown(body));
  }
  EXPECT_EQ(cache.Render("comment number 49"), RenderCommentMarkdown("comment number 49"));
  EXPECT_EQ(cache.Render("comment number 0"), RenderCommentMarkdown("comment number 0"));
}

TEST(CommentHtmlCache, ThreadsGetTheSameHtml) {
  CommentHtmlCache cache;
  std::vector<std::string> bodies;
  for (int i = 0; i < 40; ++i) bodies.push_back("~~struck~~ " + std::to_string(i % 10) + " | a |\n|---|\n| b |");
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (const auto& b : bodies) wrong[t] += cache.Render(b) != RenderCommentMarkdown(b);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

// A post body is cached with its highlight switch: the same text with the
// switch turned is another entry, rendered as the renderer would.
TEST(BodyHtmlCache, RendersAsTheRendererPerHighlightSwitch) {
  BodyHtmlCache cache;
  const std::string body = "Text\n\n```cpp\nint main() { return 0; }\n```\n";
  const std::string plain = RenderTrustedMarkdown(body, false);
  const std::string highlighted = RenderTrustedMarkdown(body, true);
  ASSERT_NE(plain, highlighted);
  EXPECT_EQ(cache.Render(body, true), highlighted);
  EXPECT_EQ(cache.Render(body, false), plain);
  EXPECT_EQ(cache.Render(body, true), highlighted);
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.hits(), 1u);
}

}  // namespace
}  // namespace kiln
