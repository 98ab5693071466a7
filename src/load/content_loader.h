// Loads a site's metadata: kiln.toml, and the front matter of every post and
// page, through the source cache so unchanged files are not re-read.
#pragma once

#include <filesystem>
#include <map>
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

// What ReadEditedFiles read: each file's source cache entry, as the cache
// keeps it, and its post or page as LoadContent leaves it in SiteContent
// (a post's URL made, its aliases cleaned; bundle files not yet listed).
struct EditedFiles {
  SourceCache entries;
  std::map<std::string, PostMeta> posts;  // by path
  std::map<std::string, PageMeta> pages;  // by path
};

// For a build that has proved that, of all input files, only `changed`
// differ from those `content` was made from (engine/build.cc, the edit
// path): each of them, a post or a page of `content`, read and parsed
// again. `content` is left as it is.
Status ReadEditedFiles(const std::filesystem::path& root, const std::vector<std::string>& changed,
                       const SiteContent& content, EditedFiles* out);

// Puts the posts and pages of `edited` into `content`. Each post keeps its
// bundle files, and the buffer of its slug when the slug is the same (a
// SiteIndex made from `content` looks posts up by views of it). With
// `check`, then checks slugs and URLs as LoadContent does.
Status ApplyEditedFiles(const EditedFiles& edited, bool check, SiteContent* content);

}  // namespace kiln
