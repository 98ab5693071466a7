#include "render/page_plan.h"

#include <algorithm>

#include "load/post_urls.h"

namespace kiln {

std::string OutputPathForUrl(const std::string& url) { return OutputPathOf(url); }

bool InSitemap(const PageSpec& page) {
  const std::string& k = page.kind;
  return !(k == "404" || k == "feed" || k == "tagfeed" || k == "sitemap" || k == "alias" || k == "asset" ||
           k == "robots");
}

std::vector<PageSpec> PlanPages(const SiteIndex& index) {
  std::vector<PageSpec> pages;
  auto add = [&](std::string url, std::string kind, std::string key, int number) {
    std::string output = OutputPathForUrl(url);
    pages.push_back({std::move(url), std::move(output), std::move(kind), std::move(key), number});
  };
  for (int n = 1; n <= index.home_page_count(); ++n) {
    add(SiteIndex::HomeUrl(n), n == 1 ? "home" : "list", "", n);
  }
  for (const PostMeta* post : index.posts()) {
    add(post->url, "post", post->slug, 0);
    for (const auto& alias : post->aliases) add(alias, "alias", post->slug, 0);
    for (const auto& asset : post->assets) add("/" + AssetOutputPath(*post, asset), "asset", asset, 0);
  }
  add("/tags/", "tags", "", 0);
  for (const TagInfo& tag : index.tags()) {
    const int pages = index.ListingPageCount(tag.posts.size());
    for (int n = 1; n <= pages; ++n) add(SiteIndex::TagUrl(tag.slug, n), "tag", tag.slug, n);
    add(SiteIndex::TagFeedUrl(tag.slug), "tagfeed", tag.slug, 0);
  }
  for (const PageMeta* page : index.pages()) add(SiteIndex::PageUrl(page->slug), "page", page->slug, 0);
  add("/feed.xml", "feed", "", 0);
  add("/sitemap.xml", "sitemap", "", 0);
  add("/404.html", "404", "", 0);
  if (!index.static_robots()) add("/robots.txt", "robots", "", 0);
  std::sort(pages.begin(), pages.end(),
            [](const PageSpec& a, const PageSpec& b) { return a.url < b.url; });
  return pages;
}

}  // namespace kiln
