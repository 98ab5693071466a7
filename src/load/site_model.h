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
  std::string source;  // path relative to the site root, e.g. content/posts/a.md
  std::string slug;
  std::string title;
  std::string summary;  // front matter `summary`, else the first paragraph
  int64_t date = 0;     // UTC seconds
  int64_t updated = 0;  // 0 when the front matter has no `updated`
  std::vector<std::string> tags;  // as written, duplicates removed, in order
  bool draft = false;
  Fingerprint body_hash = 0;  // hash of the markdown after the front matter
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
};

}  // namespace kiln
