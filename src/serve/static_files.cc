// Implementation notes: the common case (a plain target whose file is in the
// cache) costs a scan of the target and one hash lookup, and allocates
// nothing: the answer is the entry's prebuilt header block and shared body.
// Other targets go through NormalizeTarget; the disk is touched only on a
// miss. Whole files carry the FileCache's Cache-Control (max-age=0 and
// must-revalidate make browsers revalidate every time, a cheap 304: without
// it their heuristic freshness could show a post without the comment the
// reader just posted). A 206 or a 404 is "no-cache": not a page for a cache
// in front to keep.
#include "serve/static_files.h"

#include <array>
#include <ctime>

#include "serve/byte_range.h"
#include "serve/file_cache.h"
#include "serve/http_date.h"
#include "serve/path_resolver.h"

namespace kiln {
namespace {

// RFC 9110 13.1.2: If-None-Match is "*" or a list of entity tags, compared
// weakly (a W/ prefix does not matter).
bool EtagMatches(std::string_view header, std::string_view etag) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t comma = header.find(',', pos);
    std::string_view item = header.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

// RFC 9110 13.1.3: If-Modified-Since is ignored when it is not a valid date;
// a date later than now is not one a client can have received from us (a
// wrong clock, or a probe), so it is ignored as nginx does, rather than
// answering 304 to every later request whatever the file becomes.
bool NotModified(const HttpRequest& request, const CachedFile& file) {
  std::string_view inm = request.Header("if-none-match");
  if (!inm.empty()) return EtagMatches(inm, file.etag);
  std::string_view ims = request.Header("if-modified-since");
  int64_t since;
  return !ims.empty() && ParseHttpDate(ims, &since) && file.mtime_seconds <= since &&
         since <= static_cast<int64_t>(std::time(nullptr));
}

// 206 with one range of the file, or 416 when no byte of it is in range
// (byte_range.h). Not the fast path: its header is built here.
HttpResponse RangeResponse(const CachedFile& file, RangeAnswer answer, const ByteRange& range,
                           std::shared_ptr<const OpenFile> opened) {
  std::string size = std::to_string(file.size);
  if (answer == RangeAnswer::kUnsatisfiable) {
    HttpResponse response = TextResponse(416, "416 Range Not Satisfiable: the file has " + size +
                                                  " bytes");
    response.SetHeader("Content-Range", "bytes */" + size);
    return response;
  }
  std::vector<std::pair<std::string, std::string>> headers = {
      {"ETag", file.etag},
      {"Last-Modified", file.last_modified},
      {"Cache-Control", "no-cache"},
      {"Accept-Ranges", "bytes"},
      {"Content-Type", std::string(file.content_type)},
      {"Content-Range", "bytes " + std::to_string(range.first) + "-" +
                            std::to_string(range.first + range.length - 1) + "/" + size}};
  HttpResponse response;
  response.status = 206;
  response.head = std::make_shared<const std::string>(SerializeHead(206, headers, range.length));
  if (opened) {
    response.file = std::move(opened);
    response.file_offset = range.first;
    response.file_length = range.length;
  } else {
    response.body = std::make_shared<const std::string>(
        file.body->substr(static_cast<size_t>(range.first), static_cast<size_t>(range.length)));
  }
  return response;
}

// Whether `file` can be answered: its bytes are in memory, or not needed
// (HEAD), or its file on disk is still the one it describes, opened into
// `opened`. False when a streamed file changed since its entry was made.
bool Ready(const CachedFile& file, bool head, std::shared_ptr<const OpenFile>* opened) {
  if (file.body || head) return true;
  *opened = FileCache::Open(file);
  return *opened != nullptr;
}

// The answer from a cached entry that is Ready(): its prebuilt header block
// and its body, shared (aliasing shared_ptrs keep the entry alive while it
// is sent), so a cache hit copies no bytes and allocates nothing. A
// streamed file is sent from `opened`.
HttpResponse FileResponse(const HttpRequest& request, std::shared_ptr<const CachedFile> file,
                          bool head, std::shared_ptr<const OpenFile> opened) {
  HttpResponse response;
  if (NotModified(request, *file)) {
    response.status = 304;
    response.head = std::shared_ptr<const std::string>(file, &file->head_304);
    return response;
  }
  // RFC 9110 14.2: Range is defined for GET only.
  std::string_view range_header = head ? std::string_view() : request.Header("range");
  if (!range_header.empty() &&
      IfRangeAllows(request.Header("if-range"), file->etag, file->mtime_seconds)) {
    ByteRange range;
    RangeAnswer answer = ParseRange(range_header, file->size, &range);
    if (answer != RangeAnswer::kWhole) return RangeResponse(*file, answer, range, std::move(opened));
  }
  if (opened) {
    response.file = std::move(opened);
    response.file_length = file->size;
  } else if (file->body) {
    response.body = file->body;
  }
  response.head = std::shared_ptr<const std::string>(std::move(file), &file->head_200);
  response.omit_body = head;
  return response;
}

// The cache key of a plain target, the common case, without NormalizeTarget:
// only letters, digits, '-', '_', '~', '.' and '/', no empty segment and no
// segment starting with '.', so that decoding would change nothing; the
// query is cut off. False for anything else, which takes the full path
// (which then rejects what must be rejected).
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0; c < 256; ++c) {
    plain[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '~' || c == '.' || c == '/';
  }
  return plain;
}();

bool PlainKey(std::string_view target, std::string* key) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path.empty() || path[0] != '/') return false;
  char prev = 0;
  for (char c : path) {
    if (!kPlain[static_cast<unsigned char>(c)] || (prev == '/' && (c == '/' || c == '.'))) {
      return false;
    }
    prev = c;
  }
  key->assign(path.substr(1));
  if (path.back() == '/') key->append("index.html");
  return true;
}

}  // namespace

HttpResponse StaticFiles::Serve(const HttpRequest& request) {
  bool head = request.method == "HEAD";
  // Reused: its capacity makes the key of a cache hit cost no allocation.
  thread_local std::string plain_key;
  // Null unless a streamed file is answered; costs nothing otherwise.
  std::shared_ptr<const OpenFile> opened;
  if (PlainKey(request.target, &plain_key)) {
    auto file = cache_->Find(plain_key);
    if (file && Ready(*file, head, &opened)) {
      return FileResponse(request, std::move(file), head, std::move(opened));
    }
  }
  NormalizedTarget target;
  Status status = NormalizeTarget(request.target, &target);
  if (!status.ok()) {
    HttpResponse response = TextResponse(400, "400 Bad Request: " + status.message());
    response.omit_body = head;
    return response;
  }
  std::string key = target.path;
  if (target.trailing_slash) key += key.empty() ? "index.html" : "/index.html";
  auto file = cache_->Find(key);
  if (file && Ready(*file, head, &opened)) {
    return FileResponse(request, std::move(file), head, std::move(opened));
  }

  Resolution resolution = ResolveInSite(site_dir_, target);
  if (resolution.kind == Resolution::Kind::kRedirect) {
    HttpResponse response = TextResponse(301, "moved to " + resolution.location);
    response.SetHeader("Location", resolution.location);
    response.omit_body = head;
    return response;
  }
  if (resolution.kind == Resolution::Kind::kFile) {
    // A streamed file replaced between this Load and its Open (twice in a
    // row would take a rename per microsecond) ends as a 404.
    file = cache_->Load(resolution.relative, resolution.file);
    if (file && Ready(*file, head, &opened)) {
      return FileResponse(request, std::move(file), head, std::move(opened));
    }
  }
  return NotFound(head);
}

HttpResponse StaticFiles::NotFound(bool head) {
  auto page = cache_->Find("404.html");
  if (!page) {
    // Through the resolver like any file: 404.html must be inside site/ too.
    Resolution resolution = ResolveInSite(site_dir_, NormalizedTarget{"404.html", false, ""});
    if (resolution.kind == Resolution::Kind::kFile) page = cache_->Load("404.html", resolution.file);
  }
  if (page && !page->body) page = nullptr;  // a 404.html too large to keep in memory
  HttpResponse response = page ? MakeResponse(404, std::string(page->content_type), {})
                               : TextResponse(404, "404 Not Found");
  if (page) response.body = page->body;
  // Not kept by a cache in front: the page may exist after the next build,
  // and kiln purges only what it writes.
  response.SetHeader("Cache-Control", "no-cache");
  response.omit_body = head;
  return response;
}

}  // namespace kiln
