// HTTP dates (RFC 9110 section 5.6.7), for Last-Modified, If-Modified-Since,
// If-Range and Date: sent as IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kiln {

// `seconds` since the Unix epoch, UTC, as an IMF-fixdate.
std::string FormatHttpDate(int64_t seconds);

// Parses an HTTP date in any of the three forms RFC 9110 section 5.6.7 asks
// recipients to accept: IMF-fixdate, the obsolete RFC 850 form ("Sunday,
// 06-Nov-94 08:49:37 GMT", a two-digit year read as at most 50 years ahead
// of `now`) and asctime ("Sun Nov  6 08:49:37 1994"). False for anything
// else, which callers then treat as no date (RFC 9110: an invalid
// If-Modified-Since is ignored).
bool ParseHttpDate(std::string_view text, int64_t* seconds);
// The same with the present (Unix seconds) given. Used for tests.
bool ParseHttpDate(std::string_view text, int64_t* seconds, int64_t now);

}  // namespace kiln
