// Dates as front matter and the comment table spell them, and as pages,
// feeds and sitemaps show them. All times are UTC seconds since the epoch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kiln {

// Accepts "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]", "YYYY-MM-DDTHH:MM[:SS][.frac]"
// followed by nothing, "Z" or "+HH:MM"/"-HH:MM" (Jekyll's " +HHMM" too).
// False when malformed.
bool ParseIsoDate(std::string_view text, int64_t* seconds);
// The same; `*has_zone` tells whether the text named a zone ("Z" or an
// offset). Without one, `*seconds` is the wall-clock time read as UTC, for
// the caller to place in the site's time zone (util/time_zone.h).
bool ParseIsoDate(std::string_view text, int64_t* seconds, bool* has_zone);

std::string FormatRfc3339(int64_t seconds);      // 2026-11-26T10:00:00Z
std::string FormatDay(int64_t seconds);          // 2026-11-26
std::string FormatHumanDate(int64_t seconds);    // 26 November 2026

}  // namespace kiln
