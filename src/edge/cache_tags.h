// A page's cache tags (SPEC.md, "The edge": "an xkey (and Surrogate-Key)
// header listing the page's cache tags, taken from its dependency keys"),
// and the URL path a cache knows an output by.
//
// A tag is a dependency key as the engine spells it (render/dep_recorder.h):
// `post:SLUG` is on every page that shows post SLUG (its own page, the home
// pages, tag pages, the feed), `comments:SLUG` on the page that shows its
// comments, `template:NAME` on every page of that template. So a cache can
// drop "every page that shows post X" with one purge of `post:X`.
//
// This is the only place that turns keys into tags: the server's headers
// and the purges use it, so they always agree.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace kiln {

// The tags of an output whose page read `keys`, sorted, at most
// kMaxTagBytes once joined by spaces. Bytes other than letters, digits and
// "-._~:/" are %-escaped, so a tag never holds a space or a comma (the
// separators of xkey and Surrogate-Key) or anything a header cannot carry.
// A page that read more keys than fit (a sitemap of thousands of posts)
// keeps its site-wide tags (template:, config:, list:…) and drops the
// per-post ones: purges by URL still reach it.
std::vector<std::string> CacheTagsOf(const std::vector<std::string>& keys);

// The tags joined by single spaces: the value of the xkey header.
std::string JoinCacheTags(const std::vector<std::string>& tags);

// The xkey header value of every output: `output_keys` is
// BuildReport::output_keys (path under site/ -> dependency keys).
std::unordered_map<std::string, std::string> CacheTagHeaders(
    const std::map<std::string, std::vector<std::string>>& output_keys);

// The Cache-Control of every page kiln serves: browsers revalidate each
// time (max-age=0, must-revalidate: a 304 is cheap, and a reader sees the
// comment they just posted), shared caches keep the page `s_maxage` seconds
// (docs/deploy.md says why the default is short and when to raise it).
std::string PageCacheControl(int s_maxage);

// Varnish's default limit for one header line is 8 KiB (http_resp_hdr_len);
// this leaves room for the rest of the response head.
constexpr size_t kMaxTagBytes = 2048;

// The URL path of an output under site/ as the site serves it:
// "posts/a/index.html" -> "/posts/a/", "index.html" -> "/",
// "feed.xml" -> "/feed.xml". `prefix` is base_url's path ("/" or "/blog/").
std::string UrlPathOf(const std::string& output, const std::string& prefix = "/");

}  // namespace kiln
