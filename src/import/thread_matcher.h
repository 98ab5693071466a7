// Finds the kiln post a comment thread of another system belongs to, from
// the thread's URL (Disqus <link>, a full URL) or URI (Isso, a path).
//
// The URL's path (scheme, host, query and fragment dropped, percent-decoded,
// the base_url path prefix removed when present) is compared with every
// post's URL and aliases as files under site/ ("/a/" and "/a/index.html"
// are the same page), so a Jekyll-style thread /2014/09/15/launch-day.html
// finds a post whose permalink pattern or alias gives that path. Failing
// that, the path's last segment (without ".html", slugified) is compared
// with post slugs. No other guess is made: no match means no post.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "load/site_model.h"

namespace kiln {

class ThreadMatcher {
 public:
  // Every post of `content` (drafts and future posts too: their comments
  // show once they are published). Copies what it needs.
  explicit ThreadMatcher(const SiteContent& content);

  // The slug of the post `url` belongs to, or "" when none.
  std::string Match(std::string_view url) const;

 private:
  std::string base_path_;
  std::map<std::string, std::string> by_output_;  // OutputPathOf(url or alias) -> slug
  std::map<std::string, std::string> by_slug_;    // slug -> slug
};

// The path of `url` as the matcher compares it: "/2014/09/15/launch-day.html"
// for "https://old.example/2014/09/15/launch-day.html?x#c1", "/a/" for "/a".
std::string ThreadPathOf(std::string_view url);

}  // namespace kiln
