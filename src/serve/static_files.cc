// Implementation notes: the common case (a page already in the cache) costs
// a normalization of the target and one hash lookup; the disk is touched
// only on a miss. "Cache-Control: no-cache" makes browsers revalidate every
// time (a cheap 304): without it their heuristic freshness could show a post
// without the comment the reader just posted.
#include "serve/static_files.h"

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

bool NotModified(const HttpRequest& request, const CachedFile& file) {
  std::string_view inm = request.Header("if-none-match");
  if (!inm.empty()) return EtagMatches(inm, file.etag);
  std::string_view ims = request.Header("if-modified-since");
  int64_t since;
  return !ims.empty() && ParseHttpDate(ims, &since) && file.mtime_seconds <= since;
}

HttpResponse FileResponse(const HttpRequest& request, const CachedFile& file, bool head) {
  HttpResponse response;
  response.headers.reserve(4);
  response.SetHeader("ETag", file.etag);
  response.SetHeader("Last-Modified", file.last_modified);
  response.SetHeader("Cache-Control", "no-cache");
  if (NotModified(request, file)) {
    response.status = 304;
    return response;
  }
  response.SetHeader("Content-Type", std::string(file.content_type));
  response.body = file.body;
  response.omit_body = head;
  return response;
}

}  // namespace

HttpResponse StaticFiles::Serve(const HttpRequest& request) {
  bool head = request.method == "HEAD";
  NormalizedTarget target;
  Status status = NormalizeTarget(request.target, &target);
  if (!status.ok()) {
    HttpResponse response = TextResponse(400, "400 Bad Request: " + status.message());
    response.omit_body = head;
    return response;
  }
  std::string key = target.path;
  if (target.trailing_slash) key += key.empty() ? "index.html" : "/index.html";
  if (auto file = cache_->Find(key)) return FileResponse(request, *file, head);

  Resolution resolution = ResolveInSite(site_dir_, target);
  if (resolution.kind == Resolution::Kind::kRedirect) {
    HttpResponse response = TextResponse(301, "moved to " + resolution.location);
    response.SetHeader("Location", resolution.location);
    response.omit_body = head;
    return response;
  }
  if (resolution.kind == Resolution::Kind::kFile) {
    if (auto file = cache_->Load(resolution.relative, resolution.file)) {
      return FileResponse(request, *file, head);
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
