// What the last build learned from each input file, so that a file whose stat
// is unchanged is neither read nor parsed again: the reason a no-op build of
// thousands of posts costs about one stat per file.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "load/site_model.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/status.h"

namespace kiln {

struct CachedSource {
  FileStat stat;
  int64_t observed_ns = 0;       // when `stat` was taken, just before the read
  Fingerprint content_hash = 0;  // hash of the whole file
  PostMeta post;                 // parsed metadata, for content/posts/*.md
  PageMeta page;                 // parsed metadata, for content/*.md
};

// Keyed by the path relative to the site root ("content/posts/a.md").
using SourceCache = std::map<std::string, CachedSource>;

// Brings the entry for `rel` up to date. When `old` holds a trusted entry with
// the same stat (and `force` is false) it is copied and `*bytes` is left
// empty; otherwise the file is read into `*bytes`, hashed, and `*fresh` set so
// the caller parses it. A missing file is an error.
Status RefreshSource(const std::filesystem::path& root, const std::string& rel,
                     const SourceCache& old, bool force, CachedSource* out, bool* fresh,
                     std::string* bytes);

}  // namespace kiln
