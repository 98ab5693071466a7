// Loads a site's metadata: kiln.toml, and the front matter of every post and
// page, through the source cache so unchanged files are not re-read.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "load/site_model.h"
#include "load/source_cache.h"
#include "util/status.h"

namespace kiln {

// Reads kiln.toml, content/posts/**/*.md (posts) and content/*.md (pages).
// `cache` is updated in place: entries for files that no longer exist are
// dropped, new and changed files are parsed. `force` re-reads every file.
// Errors: the first bad file, with its line; duplicate slugs name both files.
Status LoadContent(const std::filesystem::path& root, bool force, SourceCache* cache,
                   SiteContent* out);

// The same content from `cache` alone, reading only kiln.toml: for a build
// that has proved every content file unchanged since the cache was saved
// (engine/quick_check.h), so the stats LoadContent would take are known.
Status ContentFromCache(const std::filesystem::path& root, const SourceCache& cache, SiteContent* out);

// For a build that has proved that, of all input files, only `changed`
// differ from those `content` was made from (engine/build.cc, the edit
// path): each of them, a post or a page of `content`, read and parsed again
// in place, and its new source cache entry put in `entries`; then the
// posts' URLs and the slugs checked as LoadContent does.
Status RefreshEditedFiles(const std::filesystem::path& root,
                          const std::vector<std::string>& changed, SiteContent* content,
                          SourceCache* entries);

}  // namespace kiln
