// HTTP dates (RFC 9110 section 5.6.7, IMF-fixdate), for Last-Modified,
// If-Modified-Since and Date: "Sun, 06 Nov 1994 08:49:37 GMT".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kiln {

// `seconds` since the Unix epoch, UTC, as an IMF-fixdate.
std::string FormatHttpDate(int64_t seconds);

// Parses an IMF-fixdate. The two obsolete formats RFC 9110 asks recipients to
// accept (RFC 850, asctime) are not: a date we cannot parse only costs a
// 200 instead of a 304, which is what RFC 9110 says to do with invalid dates.
// False when `text` is not an IMF-fixdate.
bool ParseHttpDate(std::string_view text, int64_t* seconds);

}  // namespace kiln
