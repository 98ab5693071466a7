// The Range and If-Range request headers of a GET (RFC 9110 sections 14.2
// and 13.1.5), for static files. kiln answers one range: a request for
// several gets the whole file (200), which RFC 9110 allows ("a server MAY
// ignore the Range header field"), rather than a multipart/byteranges body
// that no browser or download tool needs for a blog's files.
#pragma once

#include <cstdint>
#include <string_view>

namespace kiln {

struct ByteRange {
  int64_t first = 0;   // offset of the first byte
  int64_t length = 0;  // bytes, at least 1
};

enum class RangeAnswer {
  kWhole,          // no Range, not "bytes", several ranges, or a syntax error: 200
  kPartial,        // one satisfiable range: 206 with Content-Range
  kUnsatisfiable,  // no byte of the file is in it: 416 with "Content-Range: bytes */SIZE"
};

// Reads a Range header ("bytes=0-99", "bytes=100-", "bytes=-100") against a
// file of `size` bytes; fills `out` for kPartial. A last position past the
// end is cut to the end, a suffix longer than the file is the whole file.
RangeAnswer ParseRange(std::string_view header, int64_t size, ByteRange* out);

// If-Range: true when the Range may apply, i.e. `if_range` is empty, or
// is exactly the strong `etag` (a weak tag never matches), or is an HTTP
// date equal to the file's Last-Modified second.
bool IfRangeAllows(std::string_view if_range, std::string_view etag, int64_t mtime_seconds);

}  // namespace kiln
