// SiteIndex: the published posts in order and the tags they make.
#include "load/site_index.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

PostMeta IndexedPost(const std::string& slug, int64_t date, std::vector<std::string> tags, bool draft = false) {
  PostMeta post;
  post.slug = slug;
  post.date = date;
  post.tags = std::move(tags);
  post.draft = draft;
  return post;
}

std::vector<std::string> Slugs(const std::vector<const PostMeta*>& posts) {
  std::vector<std::string> out;
  for (const PostMeta* p : posts) out.push_back(p->slug);
  return out;
}

TEST(SiteIndex, TagsGroupPostsBySlugNewestFirst) {
  SiteContent content;
  content.posts = {IndexedPost("a", 100, {"C++", "Go"}), IndexedPost("b", 300, {"c++"}), IndexedPost("c", 200, {"Go", "c++"}),
                   IndexedPost("draft", 250, {"Go"}, true), IndexedPost("future", 900, {"Go"})};
  const SiteIndex index(content, /*now=*/500);
  EXPECT_EQ(Slugs(index.posts()), (std::vector<std::string>{"b", "c", "a"}));
  ASSERT_EQ(index.tags().size(), 2u);
  // "C++" and "c++" are one tag; it is named by the smallest spelling.
  const TagInfo* cpp = index.FindTag("c");
  ASSERT_NE(cpp, nullptr);
  EXPECT_EQ(cpp->name, "C++");
  EXPECT_EQ(Slugs(cpp->posts), (std::vector<std::string>{"b", "c", "a"}));
  const TagInfo* go = index.FindTag("go");
  ASSERT_NE(go, nullptr);
  EXPECT_EQ(go->name, "Go");
  EXPECT_EQ(Slugs(go->posts), (std::vector<std::string>{"c", "a"}));
}

}  // namespace
}  // namespace kiln
