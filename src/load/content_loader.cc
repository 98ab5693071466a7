#include "load/content_loader.h"

#include <set>

#include "load/front_matter.h"
#include "util/strings.h"

namespace kiln {
namespace {

// Top-level URLs that a standalone page may not take (SPEC.md, "Output").
const std::set<std::string> kReservedSlugs = {"posts", "tags", "page", "api", "feed.xml",
                                              "sitemap.xml", "404.html", "index.html"};

Status ListMarkdown(const std::filesystem::path& dir, bool recursive, std::vector<std::string>* out) {
  std::vector<std::string> files;
  KILN_RETURN_IF_ERROR(recursive ? ListFilesRecursive(dir, &files) : ListFiles(dir, &files));
  for (auto& f : files) {
    if (!EndsWith(f, ".md")) continue;
    if (f.find("/.") != std::string::npos || StartsWith(f, ".")) continue;  // editor temp files
    out->push_back(f);
  }
  return Status::Ok();
}

Status LoadPost(const std::filesystem::path& root, const std::string& rel, bool force,
                const SourceCache& old, SourceCache* fresh_cache, PostMeta* out) {
  CachedSource entry;
  bool fresh;
  std::string bytes;
  KILN_RETURN_IF_ERROR(RefreshSource(root, rel, old, force, &entry, &fresh, &bytes));
  if (fresh) KILN_RETURN_IF_ERROR(ParsePostFile(rel, bytes, &entry.post, nullptr));
  *out = entry.post;
  (*fresh_cache)[rel] = std::move(entry);
  return Status::Ok();
}

Status LoadPage(const std::filesystem::path& root, const std::string& rel, bool force,
                const SourceCache& old, SourceCache* fresh_cache, PageMeta* out) {
  CachedSource entry;
  bool fresh;
  std::string bytes;
  KILN_RETURN_IF_ERROR(RefreshSource(root, rel, old, force, &entry, &fresh, &bytes));
  if (fresh) KILN_RETURN_IF_ERROR(ParsePageFile(rel, bytes, &entry.page, nullptr));
  if (kReservedSlugs.count(entry.page.slug)) {
    return Status::Invalid("slug '" + entry.page.slug + "' is reserved for kiln's own pages", rel, 1);
  }
  *out = entry.page;
  (*fresh_cache)[rel] = std::move(entry);
  return Status::Ok();
}

template <typename Meta>
Status CheckUniqueSlugs(const std::vector<Meta>& items) {
  std::map<std::string, const Meta*> seen;
  for (const auto& item : items) {
    auto [it, inserted] = seen.emplace(item.slug, &item);
    if (!inserted) {
      return Status::Invalid("slug '" + item.slug + "' is already used by " + it->second->source,
                             item.source, 1);
    }
  }
  return Status::Ok();
}

}  // namespace

Status LoadContent(const std::filesystem::path& root, bool force, SourceCache* cache,
                   SiteContent* out) {
  SiteContent content;
  KILN_RETURN_IF_ERROR(LoadConfig(root / "kiln.toml", &content.config));

  // Only content files are kept in `fresh_cache`; templates, static files
  // and kiln.toml are refreshed by the engine into the same cache afterwards.
  SourceCache fresh_cache;
  std::vector<std::string> posts, pages;
  KILN_RETURN_IF_ERROR(ListMarkdown(root / "content" / "posts", true, &posts));
  KILN_RETURN_IF_ERROR(ListMarkdown(root / "content", false, &pages));
  for (const auto& rel : posts) {
    content.posts.emplace_back();
    KILN_RETURN_IF_ERROR(
        LoadPost(root, "content/posts/" + rel, force, *cache, &fresh_cache, &content.posts.back()));
  }
  for (const auto& rel : pages) {
    content.pages.emplace_back();
    KILN_RETURN_IF_ERROR(
        LoadPage(root, "content/" + rel, force, *cache, &fresh_cache, &content.pages.back()));
  }
  KILN_RETURN_IF_ERROR(CheckUniqueSlugs(content.posts));
  KILN_RETURN_IF_ERROR(CheckUniqueSlugs(content.pages));

  // Keep the non-content entries of the old cache for the engine to refresh.
  for (auto& [rel, entry] : *cache) {
    if (!StartsWith(rel, "content/")) fresh_cache.emplace(rel, std::move(entry));
  }
  *cache = std::move(fresh_cache);
  *out = std::move(content);
  return Status::Ok();
}

Status ContentFromCache(const std::filesystem::path& root, const SourceCache& cache, SiteContent* out) {
  SiteContent content;
  KILN_RETURN_IF_ERROR(LoadConfig(root / "kiln.toml", &content.config));
  // The cache holds exactly the content files LoadContent accepted, in the
  // same (path) order.
  for (const auto& [rel, entry] : cache) {
    if (StartsWith(rel, "content/posts/")) {
      content.posts.push_back(entry.post);
    } else if (StartsWith(rel, "content/") && rel.find('/', 8) == std::string::npos) {
      content.pages.push_back(entry.page);
    }
  }
  *out = std::move(content);
  return Status::Ok();
}

}  // namespace kiln
