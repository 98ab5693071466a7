// Views of the site content that every page and every fingerprint needs:
// the published posts in order, tags, neighbours, standalone pages.
// Derived from metadata only (no bodies, no comments), so it is cheap to
// build on every build.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "load/site_model.h"

namespace kiln {

struct TagInfo {
  std::string slug;                     // URL segment
  std::string name;                     // as written (the smallest spelling if several)
  std::vector<const PostMeta*> posts;   // newest first
};

class SiteIndex {
 public:
  // Published posts: not drafts and dated at or before `now` (SPEC.md,
  // "Drafts and posts dated in the future are not published"). `content`
  // must outlive the index.
  SiteIndex(const SiteContent& content, int64_t now);

  const Config& config() const { return content_.config; }
  bool static_robots() const { return content_.static_robots; }
  // Newest first; ties by slug, so order is total and deterministic.
  const std::vector<const PostMeta*>& posts() const { return posts_; }
  const PostMeta* FindPost(const std::string& slug) const;  // published only
  // Position in posts(), -1 when not published.
  int PostIndex(const std::string& slug) const;
  const std::vector<TagInfo>& tags() const { return tags_; }  // by slug
  const TagInfo* FindTag(const std::string& slug) const;
  const std::vector<const PageMeta*>& pages() const { return pages_; }  // by slug
  const PageMeta* FindPage(const std::string& slug) const;
  int home_page_count() const;  // at least 1
  // Pages of a listing of `posts` posts, `posts_per_page` each: at least 1.
  int ListingPageCount(size_t posts) const;

  // Root-relative URLs: the engine's page keys and the paths under site/.
  // Links in pages put config().base_path in front (render/page_data.h).
  // Tag pages are paginated like the home page (SPEC.md, Output):
  // /tags/T/, then /tags/T/page/2/, …
  static std::string TagUrl(const std::string& slug, int number = 1) {
    return "/tags/" + slug + "/" + (number <= 1 ? "" : "page/" + std::to_string(number) + "/");
  }
  // Each tag's Atom feed (issue 8), beside its pages.
  static std::string TagFeedUrl(const std::string& slug) { return "/tags/" + slug + "/feed.xml"; }
  static std::string PageUrl(const std::string& slug) { return "/" + slug + "/"; }
  static std::string HomeUrl(int number) {
    return number <= 1 ? "/" : "/page/" + std::to_string(number) + "/";
  }

 private:
  const SiteContent& content_;
  std::vector<const PostMeta*> posts_;
  // Keyed by views of the posts' own slugs (content_ outlives the index):
  // no copy of 4,000 slugs each time a build or the site snapshot makes one.
  std::unordered_map<std::string_view, int> post_index_;
  std::vector<TagInfo> tags_;
  std::map<std::string, int> tag_index_;
  std::vector<const PageMeta*> pages_;
  std::map<std::string, const PageMeta*> page_by_slug_;
};

}  // namespace kiln
