// Files of site/ kept in memory with what their HTTP headers need (issue 3:
// "Small files may be cached in memory if that measurably helps, with the
// cache invalidated by the engine's written/removed lists").
//
// It measurably helps: Beast serving from memory did 94k req/s at 64
// connections against 47k through file_body (../shared/notes/http-servers.md;
// our own figures in docs/server.md).
//
// Freshness: the server calls Invalidate() with a build's written/removed
// lists before it answers anything that waited for that build, so a rebuilt
// file is served new at once. Files changed by other programs (a `kiln build`
// run by hand) are caught by a stat at most once a second per file, as
// nginx's open_file_cache_valid does. Because the engine replaces files by
// rename, a file is read whole from one inode: never half-written.
//
// Thread-safe: lookups happen on the I/O thread, invalidation on the build
// thread. Entries are immutable and shared, so a response being sent keeps
// its bytes even if the entry is dropped meanwhile.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "serve/preview_address.h"

namespace kiln {

struct OpenFile;

struct CachedFile {
  // The bytes served, or null for a file streamed from disk (over
  // kStreamAboveBytes): FileCache::Open then gives its descriptor.
  std::shared_ptr<const std::string> body;
  // Strong: "\"<xxh3 of body>\"" for a file in memory; for a streamed
  // file, which is not read to answer its header, "\"<mtime ns>-<size>-<inode>\""
  // in hex, as nginx makes its ETags from mtime and size.
  std::string etag;
  std::string last_modified;   // HTTP date of the file's mtime
  int64_t mtime_seconds = 0;
  std::string_view content_type;  // static storage (mime_types.h)
  int64_t size = 0;               // bytes served (body->size() in memory)
  // The answers of static_files.h, serialized once (HttpResponse::head):
  // 200 with ETag, Last-Modified, Cache-Control, xkey and Surrogate-Key
  // (SPEC.md, "The edge"; absent for a file without cache tags),
  // Accept-Ranges, Content-Type and Content-Length; 304 with the first five.
  std::string head_200, head_304;
  // Which file this describes (FileCache::Open checks it is still that).
  std::filesystem::path path;
  int64_t mtime_ns = 0, inode = 0;
};

class FileCache {
 public:
  // With `inject_reload`, HTML bodies carry the live reload script
  // (live_reload.h) and the ETag is that of the injected bytes.
  // `cache_control` is the Cache-Control of every file (edge/cache_tags.h).
  explicit FileCache(bool inject_reload, std::string cache_control = "no-cache")
      : inject_reload_(inject_reload), cache_control_(std::move(cache_control)) {}

  // While previewing (serve/preview_address.h), text bodies are served with
  // base_url replaced by the address served on; the ETag is that of the
  // bytes served. Set before serving (not thread-safe); drops every entry.
  void SetPreviewRewrite(PreviewRewrite rewrite);

  // The cache tags of files (path under site/ -> the xkey header value,
  // edge/cache_tags.h). SetCacheTags replaces them all; UpdateCacheTags
  // changes those of `changed` and forgets those of `removed` (a build's
  // rendered outputs and removed files). Both drop the entries whose tags
  // changed, so every header block names the tags of its build.
  void SetCacheTags(std::unordered_map<std::string, std::string> tags);
  void UpdateCacheTags(const std::unordered_map<std::string, std::string>& changed,
                       const std::vector<std::string>& removed);

  // The cached entry for `relative` (a path under site/), or null when it is
  // not cached or has changed on disk since it was loaded.
  std::shared_ptr<const CachedFile> Find(const std::string& relative);

  // Reads `file` (already resolved and checked to be inside site/) and
  // caches it under `relative` when it is small enough. A file over
  // kStreamAboveBytes is not read: its entry (kept, it costs no memory to
  // speak of) describes it for streaming, unless it is HTML that needs the
  // reload script or a text body the preview rewrites. Null when the file cannot be read.
  // Files are read on the I/O thread: a large one read whole stalled every
  // connection (86 ms for 100 MB) and held its size in memory per request.
  std::shared_ptr<const CachedFile> Load(const std::string& relative,
                                         const std::filesystem::path& file);

  // Opens a streamed entry's file for one response. Null when the file on
  // disk is no longer the one `file` describes (replaced or changed since):
  // the caller loads it again.
  static std::shared_ptr<const OpenFile> Open(const CachedFile& file);

  // Drops the entries of these paths under site/ (a build's written and
  // removed lists).
  void Invalidate(const std::vector<std::string>& relatives);
  void Clear();

  // Files over this size are served but not kept; the cache holds at most
  // kMaxTotalBytes.
  static constexpr int64_t kMaxFileBytes = 4 << 20;
  // Files over this size are streamed from disk (sendfile), not read.
  static constexpr int64_t kStreamAboveBytes = 1 << 20;
  static constexpr int64_t kMaxTotalBytes = 256 << 20;

  size_t size() const;  // entries; used for tests

 private:
  struct Slot {
    std::shared_ptr<const CachedFile> file;
    std::filesystem::path path;
    int64_t held = 0;  // bytes of memory counted in total_bytes_
    int64_t size = 0, mtime_ns = 0, inode = 0;
    int64_t checked_ns = 0;  // steady clock of the last stat
  };

  bool inject_reload_;
  PreviewRewrite preview_;
  std::string cache_control_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::string> tags_;  // guarded by mutex_
  void DropLocked(const std::string& relative);
  std::unordered_map<std::string, Slot> slots_;
  int64_t total_bytes_ = 0;
  // Bumped by Invalidate() and Clear(). Load() does not keep what it read if
  // this moved meanwhile: the bytes may predate the build that invalidated.
  uint64_t generation_ = 0;
};

}  // namespace kiln
