#include "util/time_zone.h"

#include <date/tz.h>

namespace kiln {

// Implementation details: date::locate_zone throws std::runtime_error for an
// unknown name; zones live for the process (the tz database is a static).

Status TimeZone::Find(const std::string& name, TimeZone* out) {
  TimeZone zone;
  zone.name_ = name;
  if (name == "UTC" || name == "Etc/UTC") {
    *out = zone;
    return Status::Ok();
  }
  try {
    zone.zone_ = date::locate_zone(name);
  } catch (const std::exception&) {
    return Status::NotFound("unknown time zone '" + name +
                            "' (an IANA name such as \"Europe/Paris\" or \"UTC\")");
  }
  *out = zone;
  return Status::Ok();
}

int64_t TimeZone::LocalToUtc(int64_t local_seconds) const {
  if (!zone_) return local_seconds;
  const date::local_seconds local{std::chrono::seconds(local_seconds)};
  const date::local_info info = zone_->get_info(local);
  // unique: one offset; ambiguous (clocks went back): the earlier, first
  // offset; nonexistent (clocks went forward): the offset before the gap.
  const std::chrono::seconds offset = info.first.offset;
  return local_seconds - offset.count();
}

int64_t TimeZone::UtcToLocal(int64_t utc_seconds) const {
  if (!zone_) return utc_seconds;
  const date::sys_seconds sys{std::chrono::seconds(utc_seconds)};
  return utc_seconds + zone_->get_info(sys).offset.count();
}

}  // namespace kiln
