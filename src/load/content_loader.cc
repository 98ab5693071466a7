#include "load/content_loader.h"

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "load/front_matter.h"
#include "load/post_urls.h"
#include "util/cores.h"
#include "util/strings.h"

namespace kiln {
namespace {

// Top-level URLs that a standalone page may not take (SPEC.md, "Output").
const std::set<std::string> kReservedSlugs = {"posts", "tags", "page", "api", "feed.xml",
                                              "sitemap.xml", "404.html", "index.html", "robots.txt"};

bool IsMarkdown(const std::string& f) { return EndsWith(f, ".md") || EndsWith(f, ".markdown"); }

bool IsHidden(const std::string& f) { return f.find("/.") != std::string::npos || StartsWith(f, "."); }

// Hugo and Zola keep a section's own settings in _index.md: not a post.
bool IsSectionFile(const std::string& f) {
  const std::string name = std::filesystem::path(f).filename().string();
  return name == "_index.md" || name == "_index.markdown";
}

bool IsBundleIndex(const std::string& f) {
  const std::string name = std::filesystem::path(f).filename().string();
  return (name == "index.md" || name == "index.markdown") && f.find('/') != std::string::npos;
}

// What content/posts holds: markdown posts, and page bundles (a folder
// with an index.md) whose other files are the post's assets. Markdown files
// inside a bundle are neither posts nor assets (Hugo: page resources).
struct PostFiles {
  std::vector<std::string> posts;                          // relative to content/posts
  std::map<std::string, std::vector<std::string>> assets;  // bundle index -> its files
};

Status ListPostFiles(const std::filesystem::path& dir, PostFiles* out) {
  std::vector<std::string> files;
  KILN_RETURN_IF_ERROR(ListFilesRecursive(dir, &files));
  std::map<std::string, std::string> bundles;  // folder + '/' -> its index
  for (const auto& f : files) {
    if (!IsHidden(f) && IsBundleIndex(f)) bundles[f.substr(0, f.rfind('/') + 1)] = f;
  }
  for (const auto& f : files) {
    if (IsHidden(f)) continue;  // editor temp files
    // The nearest enclosing bundle: look up each parent folder, so a site
    // of many bundles costs a few map lookups per file.
    const std::string* bundle = nullptr;
    for (size_t slash = f.rfind('/'); slash != std::string::npos && !bundle;
         slash = slash == 0 ? std::string::npos : f.rfind('/', slash - 1)) {
      auto it = bundles.find(f.substr(0, slash + 1));
      if (it != bundles.end()) bundle = &it->second;
    }
    if (bundle && *bundle != f) {
      if (!IsMarkdown(f)) out->assets[*bundle].push_back(f);
      continue;
    }
    if (IsMarkdown(f) && !IsSectionFile(f)) out->posts.push_back(f);
  }
  return Status::Ok();
}

Status ListPages(const std::filesystem::path& dir, std::vector<std::string>* out) {
  std::vector<std::string> files;
  KILN_RETURN_IF_ERROR(ListFiles(dir, &files));
  for (auto& f : files) {
    if (IsMarkdown(f) && !IsHidden(f) && !IsSectionFile(f)) out->push_back(f);
  }
  return Status::Ok();
}

// Reads (or takes from `old`) and parses one post into `entry`. Only reads
// shared state: LoadContent runs it on several threads.
Status LoadPost(const std::filesystem::path& root, const std::string& rel, bool force,
                const Config& config, const SourceCache& old, CachedSource* entry) {
  bool fresh;
  std::string bytes;
  KILN_RETURN_IF_ERROR(RefreshSource(root, rel, old, force, entry, &fresh, &bytes));
  // Dates without a zone were read in the zone of their time: a new
  // `timezone` means reading the post again.
  if (!fresh && entry->post.timezone != config.timezone.name()) {
    KILN_RETURN_IF_ERROR(RefreshSource(root, rel, old, true, entry, &fresh, &bytes));
  }
  if (fresh) KILN_RETURN_IF_ERROR(ParsePostFile(rel, bytes, &entry->post, nullptr, config.timezone));
  return Status::Ok();
}

// LoadPost for every file of `rels`, on all cores when there are many (a
// full build reads and parses every post: YAML alone was a tenth of its
// instructions, on one thread). Results and errors are kept by index, so
// the first error in file order is the one reported, whatever the timing.
Status LoadPosts(const std::filesystem::path& root, const std::vector<std::string>& rels, bool force,
                 const Config& config, const SourceCache& old, std::vector<CachedSource>* entries) {
  entries->assign(rels.size(), CachedSource());
  std::vector<Status> errors(rels.size());
  std::atomic<size_t> next = 0;
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < rels.size();) {
      try {
        errors[i] = LoadPost(root, rels[i], force, config, old, &(*entries)[i]);
      } catch (const std::exception& e) {
        errors[i] = Status::Io(std::string("reading failed: ") + e.what(), rels[i]);
      }
    }
  };
  const size_t threads = std::min<size_t>(CoreCount(), (rels.size() + 63) / 64);
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();
  for (const Status& s : errors) KILN_RETURN_IF_ERROR(s);
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
  PostFiles post_files;
  std::vector<std::string> pages;
  KILN_RETURN_IF_ERROR(ListPostFiles(root / "content" / "posts", &post_files));
  KILN_RETURN_IF_ERROR(ListPages(root / "content", &pages));
  std::vector<std::string> post_rels;
  post_rels.reserve(post_files.posts.size());
  for (const auto& rel : post_files.posts) post_rels.push_back("content/posts/" + rel);
  std::vector<CachedSource> entries;
  KILN_RETURN_IF_ERROR(LoadPosts(root, post_rels, force, content.config, *cache, &entries));
  content.posts.reserve(post_rels.size());
  for (size_t i = 0; i < post_rels.size(); ++i) {
    const std::string& rel = post_files.posts[i];
    content.posts.push_back(entries[i].post);
    PostMeta& post = content.posts.back();
    fresh_cache[post_rels[i]] = std::move(entries[i]);
    // Assets are hashed through the cache like every input (their pages'
    // dependency is "asset:PATH"), read again only when their stat moves.
    for (const auto& asset : post_files.assets[rel]) {
      const std::string asset_rel = "content/posts/" + asset;
      CachedSource entry;
      bool fresh;
      std::string bytes;
      KILN_RETURN_IF_ERROR(RefreshSource(root, asset_rel, *cache, force, &entry, &fresh, &bytes));
      fresh_cache[asset_rel] = std::move(entry);
      post.assets.push_back(asset_rel);
    }
  }
  for (const auto& rel : pages) {
    content.pages.emplace_back();
    KILN_RETURN_IF_ERROR(
        LoadPage(root, "content/" + rel, force, *cache, &fresh_cache, &content.pages.back()));
  }
  KILN_RETURN_IF_ERROR(CheckUniqueSlugs(content.posts));
  KILN_RETURN_IF_ERROR(CheckUniqueSlugs(content.pages));
  KILN_RETURN_IF_ERROR(AssignPostUrls(content.config, &content));
  std::error_code ec;
  content.static_robots = std::filesystem::is_regular_file(root / "static" / "robots.txt", ec);

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
  // Bundle files are cached too (for their hashes): they go back to the
  // post of the nearest folder holding an index.md, as ListPostFiles does.
  std::map<std::string, size_t> post_of;  // post path -> index in content.posts
  std::vector<std::string> assets;
  for (const auto& [rel, entry] : cache) {
    if (StartsWith(rel, "content/posts/")) {
      if (!IsMarkdown(rel)) {
        assets.push_back(rel);
        continue;
      }
      post_of[rel] = content.posts.size();
      content.posts.push_back(entry.post);
    } else if (StartsWith(rel, "content/") && rel.find('/', 8) == std::string::npos) {
      content.pages.push_back(entry.page);
    }
  }
  for (const auto& rel : assets) {
    for (size_t slash = rel.rfind('/'); slash != std::string::npos && slash > 0;
         slash = rel.rfind('/', slash - 1)) {
      const std::string folder = rel.substr(0, slash + 1);
      auto it = post_of.find(folder + "index.md");
      if (it == post_of.end()) it = post_of.find(folder + "index.markdown");
      if (it == post_of.end()) continue;
      content.posts[it->second].assets.push_back(rel);
      break;
    }
  }
  KILN_RETURN_IF_ERROR(AssignPostUrls(content.config, &content));
  std::error_code ec;
  content.static_robots = std::filesystem::is_regular_file(root / "static" / "robots.txt", ec);
  *out = std::move(content);
  return Status::Ok();
}

Status ReadEditedFiles(const std::filesystem::path& root, const std::vector<std::string>& changed,
                       const SiteContent& content, EditedFiles* out) {
  for (const std::string& rel : changed) {
    auto post = std::find_if(content.posts.begin(), content.posts.end(),
                             [&](const PostMeta& p) { return p.source == rel; });
    if (post != content.posts.end()) {
      CachedSource entry;
      KILN_RETURN_IF_ERROR(LoadPost(root, rel, /*force=*/true, content.config, {}, &entry));
      PostMeta meta = entry.post;
      out->entries[rel] = std::move(entry);
      KILN_RETURN_IF_ERROR(PlacePost(content.config, &meta));  // as AssignPostUrls leaves it
      out->posts[rel] = std::move(meta);
      continue;
    }
    auto page = std::find_if(content.pages.begin(), content.pages.end(),
                             [&](const PageMeta& p) { return p.source == rel; });
    if (page == content.pages.end()) {
      return Status::Invalid("not a post or page the last build read", rel);
    }
    KILN_RETURN_IF_ERROR(LoadPage(root, rel, /*force=*/true, {}, &out->entries, &out->pages[rel]));
  }
  return Status::Ok();
}

Status ApplyEditedFiles(const EditedFiles& edited, bool check, SiteContent* content) {
  for (PostMeta& post : content->posts) {
    auto it = edited.posts.find(post.source);
    if (it == edited.posts.end()) continue;
    std::vector<std::string> assets = std::move(post.assets);  // unchanged files
    std::string slug = std::move(post.slug);
    post = it->second;
    post.assets = std::move(assets);
    if (slug == post.slug) post.slug = std::move(slug);
  }
  for (PageMeta& page : content->pages) {
    auto it = edited.pages.find(page.source);
    if (it == edited.pages.end()) continue;
    std::string slug = std::move(page.slug);
    page = it->second;
    if (slug == page.slug) page.slug = std::move(slug);
  }
  if (!check) return Status::Ok();
  KILN_RETURN_IF_ERROR(CheckUniqueSlugs(content->posts));
  KILN_RETURN_IF_ERROR(CheckUniqueSlugs(content->pages));
  return AssignPostUrls(content->config, content);
}

}  // namespace kiln
