#include "serve/mime_types.h"

#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace kiln {
namespace {

// A short table: a blog's site/ holds few kinds of files, and a linear scan
// of ~25 entries costs less than hashing the extension.
constexpr std::array<std::pair<std::string_view, std::string_view>, 26> kTypes = {{
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"xml", "application/xml; charset=utf-8"},
    {"json", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"ttf", "font/ttf"},
    {"pdf", "application/pdf"},
    {"wasm", "application/wasm"},
    {"webmanifest", "application/manifest+json"},
    {"map", "application/json"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
}};

}  // namespace

std::string_view MimeTypeForPath(std::string_view path) {
  size_t slash = path.rfind('/');
  // kiln's feeds (/feed.xml, /tags/T/feed.xml) are Atom, and feed readers
  // and browsers tell a feed from other XML by this type (RFC 4287, 7;
  // issue 8); the sitemap and other .xml files stay application/xml.
  if (path.substr(slash == std::string_view::npos ? 0 : slash + 1) == "feed.xml") {
    return "application/atom+xml; charset=utf-8";
  }
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  std::string ext(path.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [known, type] : kTypes) {
    if (known == ext) return type;
  }
  return "application/octet-stream";
}

}  // namespace kiln
