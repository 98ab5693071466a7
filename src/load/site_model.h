// What the engine knows about a site without rendering it: the metadata of
// every post and page, as front matter gives it. Bodies are not held here;
// they are read from disk only when a page that shows them is rendered.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "load/config.h"
#include "util/hash.h"

namespace kiln {

struct PostMeta {
  // Parsed from the file (and kept in the source cache):
  std::string source;  // path relative to the site root, e.g. content/posts/a.md
  std::string slug;
  std::string title;
  std::string summary;  // front matter `summary`, else the first paragraph
  int64_t date = 0;     // UTC seconds
  int64_t updated = 0;  // 0 when the front matter has no `updated`
  std::vector<std::string> tags;  // as written, duplicates removed, in order
  bool draft = false;
  Fingerprint body_hash = 0;  // hash of the markdown after the front matter
  std::string title_part;     // Jekyll's :title before slugifying: `slug`, else the file name's
  int64_t date_local = 0;     // `date` as a wall clock in the site's time zone (for :year, display)
  int64_t updated_local = 0;
  std::string timezone;       // the zone dates were read in: a change means parsing again
  std::string author;         // `author`, or Hugo's `authors` joined with ", "
  std::string description;    // `description`; empty: pages describe the post with its summary
  std::string permalink;      // the post's own URL path (sanitised), empty: the pattern's
  std::vector<std::string> aliases;  // old URL paths (sanitised) that redirect here

  // Derived on every load (load/content_loader.cc), not cached:
  std::string url;                  // "/posts/a/" or what the permalink pattern gives
  std::vector<std::string> assets;  // page bundle files, relative to the site root
};

struct PageMeta {
  std::string source;  // content/about.md
  std::string slug;
  std::string title;
  Fingerprint body_hash = 0;
};

struct SiteContent {
  Config config;
  std::vector<PostMeta> posts;  // every post file, drafts and future ones too
  std::vector<PageMeta> pages;
  bool static_robots = false;  // static/robots.txt exists: kiln does not write its own
};

}  // namespace kiln
