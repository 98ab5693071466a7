// Which pages a site has (SPEC.md, "Output"), from its index alone.
#pragma once

#include <string>
#include <vector>

#include "load/site_index.h"

namespace kiln {

struct PageSpec {
  std::string url;     // "/posts/a/"
  std::string output;  // "posts/a/index.html", relative to site/
  // home, list, post, tags, tag, page, feed, tagfeed (the feed of tag `key`),
  // sitemap, 404, robots; alias (a redirect to post `key`), asset (a page
  // bundle's file `key`, copied)
  std::string kind;
  std::string key;     // the slug of a post, tag or page; empty otherwise
  int number = 0;      // the page number of home (1), list (2..) and tag (1..) pages
};

// Every page of the site, sorted by URL: posts at their own URLs
// (load/post_urls.h), each alias of a post, each file of a page bundle, a
// feed per tag at /tags/TAG/feed.xml, and /robots.txt unless the site has
// static/robots.txt.
std::vector<PageSpec> PlanPages(const SiteIndex& index);

// The sitemap lists HTML pages people read: not the 404 page, feeds,
// redirects, bundle files or robots.txt. The sitemap's renderer and its
// fingerprint (engine/fingerprints.cc) both ask this.
bool InSitemap(const PageSpec& page);

// "/" -> "index.html", "/a/b/" -> "a/b/index.html", "/feed.xml" -> "feed.xml".
std::string OutputPathForUrl(const std::string& url);

}  // namespace kiln
