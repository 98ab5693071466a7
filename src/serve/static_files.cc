// Implementation notes: the common case (a plain target whose file is in the
// cache) costs a scan of the target and one hash lookup, and allocates
// nothing: the answer is the entry's prebuilt header block and shared body.
// Other targets go through NormalizeTarget; the disk is touched only on a
// miss. "Cache-Control: no-cache" makes browsers revalidate every
// time (a cheap 304): without it their heuristic freshness could show a post
// without the comment the reader just posted.
#include "serve/static_files.h"

#include <array>
#include <ctime>

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

// The answer from a cached entry: its prebuilt header block and its body,
// shared (aliasing shared_ptrs keep the entry alive while it is sent), so a
// cache hit copies no bytes and allocates nothing.
HttpResponse FileResponse(const HttpRequest& request, std::shared_ptr<const CachedFile> file,
                          bool head) {
  HttpResponse response;
  if (NotModified(request, *file)) {
    response.status = 304;
    response.head = std::shared_ptr<const std::string>(file, &file->head_304);
    return response;
  }
  response.body = file->body;
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
  if (PlainKey(request.target, &plain_key)) {
    if (auto file = cache_->Find(plain_key)) return FileResponse(request, std::move(file), head);
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
  if (auto file = cache_->Find(key)) return FileResponse(request, std::move(file), head);

  Resolution resolution = ResolveInSite(site_dir_, target);
  if (resolution.kind == Resolution::Kind::kRedirect) {
    HttpResponse response = TextResponse(301, "moved to " + resolution.location);
    response.SetHeader("Location", resolution.location);
    response.omit_body = head;
    return response;
  }
  if (resolution.kind == Resolution::Kind::kFile) {
    if (auto file = cache_->Load(resolution.relative, resolution.file)) {
      return FileResponse(request, std::move(file), head);
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
  HttpResponse response = page ? MakeResponse(404, std::string(page->content_type), {})
                               : TextResponse(404, "404 Not Found");
  if (page) response.body = page->body;
  response.omit_body = head;
  return response;
}

}  // namespace kiln
