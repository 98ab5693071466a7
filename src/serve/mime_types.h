// Content-Type of a file served from site/, chosen by its extension
// (SPEC.md, "The server": "correct Content-Type"; issue 3 lists html, css,
// js, xml, json, svg, png, jpg, webp, ico, woff2 and txt).
#pragma once

#include <string_view>

namespace kiln {

// The Content-Type header value for `path` (a file name or a path with '/'
// separators). A file named exactly "feed.xml" (kiln's feeds) is
// "application/atom+xml; charset=utf-8"; other .xml files application/xml.
// Text types carry "; charset=utf-8" because kiln writes UTF-8.
// The extension is matched case-insensitively; an unknown or missing
// extension gives "application/octet-stream", so a browser never guesses.
std::string_view MimeTypeForPath(std::string_view path);

}  // namespace kiln
