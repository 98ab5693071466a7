// Preview that tells the truth (issue 8): while `kiln serve` previews, the
// absolute links in the pages it serves (the feed's, the sitemap's,
// canonical and Open Graph URLs, robots.txt's Sitemap line) point at the
// address it serves on, not at base_url; and nothing of that reaches
// site/ or a cache in production.
//
// Design: pages are built with base_url, always (site/ is the production
// output, byte for byte what `kiln build` writes). The rewrite happens in
// memory, in serve/file_cache.h, as the live-reload script is injected:
// every occurrence of base_url in a text body is replaced by the preview
// address, and the ETag is that of the bytes served. Rejected: building a
// second site/ for the preview address (a full build per port, and two
// outputs to keep equal), or rewriting by the request's Host header (a
// proxy that does not pass Host on would make a cache in front store pages
// linking to the backend's address).
//
// When: `kiln serve --preview` (with or without --watch), never on its own:
// a production server (no flag, as docs/deploy.md runs it behind Varnish
// or nginx) serves site/'s bytes exactly, whatever base_url is. Turning it
// on by itself (for a loopback base_url, or with --watch) was rejected: a
// client that compares what the server sends with site/ (a cache's
// revalidation, kiln's own serve property test) would get other bytes
// without having asked; the server says instead how to get the preview.
#pragma once

#include <string>
#include <string_view>

namespace kiln {

struct PreviewRewrite {
  std::string from;  // base_url, "https://blog.example/blog/"
  std::string to;    // the address served on, with base_url's path: "http://127.0.0.1:9000/blog/"
  bool active() const { return !from.empty() && from != to; }
};

// True when base_url's host is a loopback name or address (127.0.0.0/8,
// localhost, ::1).
bool IsLoopbackBaseUrl(const std::string& base_url);

// The rewrite for a server listening on `host`:`port` (the port actually
// bound). A wildcard host (0.0.0.0, ::, "") links to loopback; an IPv6
// address is bracketed. Inactive unless `preview`.
PreviewRewrite PreviewRewriteFor(bool preview, const std::string& base_url, const std::string& base_path,
                                 const std::string& host, int port);

// True for the bodies the rewrite applies to: text/*, and XML and JSON types.
bool IsRewritableType(std::string_view content_type);

// `body` with every `rewrite.from` replaced by `rewrite.to`.
std::string RewriteBody(std::string_view body, const PreviewRewrite& rewrite);

}  // namespace kiln
