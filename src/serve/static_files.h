// GET and HEAD of the files under site/ (SPEC.md, "The server": "GET/HEAD of
// any file under site/; a folder serves its index.html; /posts/a redirects
// to /posts/a/; correct Content-Type; ETag and Last-Modified with 304
// answers; unknown paths get site/404.html with status 404; no request can
// read outside site/").
#pragma once

#include <filesystem>

#include "serve/http_types.h"

namespace kiln {

class FileCache;

class StaticFiles {
 public:
  // `site_dir` is the site's output folder; `cache` must outlive this.
  StaticFiles(std::filesystem::path site_dir, FileCache* cache)
      : site_dir_(std::move(site_dir)), cache_(cache) {}

  // Answers a GET or HEAD (the caller routes other methods elsewhere):
  //   200 with the file, ETag, Last-Modified, the FileCache's Cache-Control
  //       with xkey and Surrogate-Key (SPEC.md, "The edge"), and
  //       "Accept-Ranges: bytes"; files over FileCache::kStreamAboveBytes are
  //       streamed from disk (HttpResponse::file), never read into memory;
  //   304 when If-None-Match matches the ETag, or, without If-None-Match,
  //       when If-Modified-Since is not older than the file and not in the
  //       future (RFC 9110 13.2.2);
  //   206 for a GET with one satisfiable Range (and an If-Range that
  //       matches, if any), 416 for an unsatisfiable one (byte_range.h);
  //   301 from a folder without its trailing slash to the folder with it;
  //   400 for targets path_resolver.h rejects;
  //   404 with site/404.html as the body (plain text when there is none).
  // HEAD gets the same status and headers, without the body.
  HttpResponse Serve(const HttpRequest& request);

 private:
  HttpResponse NotFound(bool head);

  std::filesystem::path site_dir_;
  FileCache* cache_;
};

}  // namespace kiln
