#include "load/site_index.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "util/strings.h"

namespace kiln {

SiteIndex::SiteIndex(const SiteContent& content, int64_t now) : content_(content) {
  for (const auto& post : content.posts) {
    if (!post.draft && post.date <= now) posts_.push_back(&post);
  }
  std::sort(posts_.begin(), posts_.end(), [](const PostMeta* a, const PostMeta* b) {
    return a->date != b->date ? a->date > b->date : a->slug < b->slug;
  });
  post_index_.reserve(posts_.size());
  for (size_t i = 0; i < posts_.size(); ++i) {
    post_index_.insert_or_assign(std::string_view(posts_[i]->slug), static_cast<int>(i));
  }

  // A site has a few dozen tag names over thousands of posts: each name is
  // slugified once (this loop was a seventh of a comment build's
  // instructions when it slugified every occurrence twice).
  std::map<std::string, TagInfo> by_slug;
  std::unordered_map<std::string_view, TagInfo*> by_name;
  for (const PostMeta* post : posts_) {
    for (const auto& name : post->tags) {
      TagInfo*& tag = by_name[name];
      if (!tag) {
        std::string slug = Slugify(name);
        tag = &by_slug[slug];
        if (tag->slug.empty()) tag->slug = std::move(slug);
        if (tag->name.empty() || name < tag->name) tag->name = name;
      }
      tag->posts.push_back(post);
    }
  }
  for (auto& [slug, tag] : by_slug) {
    tag_index_[slug] = static_cast<int>(tags_.size());
    tags_.push_back(std::move(tag));
  }

  for (const auto& page : content.pages) pages_.push_back(&page);
  std::sort(pages_.begin(), pages_.end(),
            [](const PageMeta* a, const PageMeta* b) { return a->slug < b->slug; });
  for (const PageMeta* page : pages_) page_by_slug_[page->slug] = page;
}

const PostMeta* SiteIndex::FindPost(const std::string& slug) const {
  int i = PostIndex(slug);
  return i < 0 ? nullptr : posts_[i];
}

int SiteIndex::PostIndex(const std::string& slug) const {
  auto it = post_index_.find(slug);
  return it == post_index_.end() ? -1 : it->second;
}

const TagInfo* SiteIndex::FindTag(const std::string& slug) const {
  auto it = tag_index_.find(slug);
  return it == tag_index_.end() ? nullptr : &tags_[it->second];
}

const PageMeta* SiteIndex::FindPage(const std::string& slug) const {
  auto it = page_by_slug_.find(slug);
  return it == page_by_slug_.end() ? nullptr : it->second;
}

int SiteIndex::home_page_count() const { return ListingPageCount(posts_.size()); }

int SiteIndex::ListingPageCount(size_t posts) const {
  const size_t per_page = static_cast<size_t>(content_.config.posts_per_page);
  return std::max(static_cast<int>((posts + per_page - 1) / per_page), 1);
}

}  // namespace kiln
