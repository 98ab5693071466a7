// A site's time zone (kiln.toml `timezone`, an IANA name): front matter
// dates written without a zone are wall-clock times there (SPEC.md, "A site
// on disk"), and permalink tokens and displayed days are read there.
//
// Backed by Howard Hinnant's date/tz library as Debian builds it
// (USE_OS_TZDB: the system's /usr/share/zoneinfo, no download). libstdc++ 12
// has no std::chrono::tzdb, and localtime_r would mean setting TZ in the
// environment of a process that renders on several threads.
#pragma once

#include <cstdint>
#include <string>

#include "util/status.h"

namespace date {
class time_zone;
}

namespace kiln {

class TimeZone {
 public:
  TimeZone() = default;  // UTC

  // Finds an IANA zone ("Europe/Paris", "UTC"). NotFound when the system's
  // tz database does not know it.
  static Status Find(const std::string& name, TimeZone* out);

  const std::string& name() const { return name_; }

  // UTC seconds of a wall-clock time in this zone. A time skipped by a
  // daylight-saving change counts from before the change; a repeated time
  // is the earlier of the two.
  int64_t LocalToUtc(int64_t local_seconds) const;
  // Wall-clock seconds in this zone of a UTC time.
  int64_t UtcToLocal(int64_t utc_seconds) const;

 private:
  std::string name_ = "UTC";
  const date::time_zone* zone_ = nullptr;  // nullptr: UTC; owned by the tz database
};

}  // namespace kiln
