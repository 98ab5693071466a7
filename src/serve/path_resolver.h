// From a request-target to a file under site/ (SPEC.md, "The server": "a
// folder serves its index.html; /posts/a redirects to /posts/a/ … no request
// can read outside site/").
//
// Two steps, so that the part that decides what a hostile target means is a
// pure function with exhaustive unit tests:
//   1. NormalizeTarget: syntax only. Percent-decodes the path and rejects
//      everything that could name something outside site/ or is not a path a
//      browser sends: absolute-form targets, "." and ".." segments, encoded
//      '/' or '\', backslashes, NUL and other control bytes, bad escapes.
//   2. ResolveInSite: the disk. Follows symlinks and checks that the real
//      path is still inside the real site/ folder.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "util/status.h"

namespace kiln {

struct NormalizedTarget {
  std::string path;    // decoded, no leading '/', segments joined by '/'; "" = root
  bool trailing_slash = false;  // the target's path ended in '/' (or was "/")
  std::string query;   // raw, without '?'; "" when absent
};

// Parses an origin-form request-target ("/a/b?q"). Empty segments ("//")
// collapse. Returns kInvalid (the server answers 400) for any target step 1
// above rejects; `out` is then unspecified.
Status NormalizeTarget(std::string_view target, NormalizedTarget* out);

// Percent-encodes a decoded path for a Location header: every byte outside
// RFC 3986 pchar and '/' is encoded, so a path can never turn into a
// scheme-relative URL ("//host") or break the header.
std::string EncodePath(std::string_view decoded_path);

struct Resolution {
  enum class Kind { kFile, kRedirect, kNotFound };
  Kind kind = Kind::kNotFound;
  std::filesystem::path file;  // kFile: the file to read
  std::string relative;        // kFile: its path under site/, '/'-separated
  std::string location;        // kRedirect: "/posts/a/" (plus "?query")
};

// Resolves `target` against `site_dir`. A folder without a trailing slash
// redirects; with one it serves its index.html. A file with a trailing slash,
// anything that is not a regular file, and anything whose real path (after
// symlinks) lies outside the real `site_dir` is kNotFound.
Resolution ResolveInSite(const std::filesystem::path& site_dir, const NormalizedTarget& target);

}  // namespace kiln
