#include "serve/http_date.h"

#include <cstdio>
#include <cstring>
#include <ctime>

namespace kiln {
namespace {

constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool ParseDigits(std::string_view s, int* out) {
  int value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return !s.empty();
}

}  // namespace

std::string FormatHttpDate(int64_t seconds) {
  time_t t = static_cast<time_t>(seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

namespace {

int MonthIndex(std::string_view name) {
  for (int i = 0; i < 12; ++i) {
    if (name == kMonths[i]) return i;
  }
  return -1;
}

bool IsDayName(std::string_view name) {
  for (const char* day : kDays) {
    if (name == day) return true;
  }
  return false;
}

// "08:49:37" into `tm`.
bool ParseTime(std::string_view text, struct tm* tm) {
  return text.size() == 8 && text[2] == ':' && text[5] == ':' &&
         ParseDigits(text.substr(0, 2), &tm->tm_hour) &&
         ParseDigits(text.substr(3, 2), &tm->tm_min) &&
         ParseDigits(text.substr(6, 2), &tm->tm_sec);
}

bool ToSeconds(int year, int month, int day, struct tm* tm, int64_t* seconds) {
  if (month < 0 || day < 1 || day > 31 || tm->tm_hour > 23 || tm->tm_min > 59 ||
      tm->tm_sec > 60 || year < 1970) {
    return false;
  }
  tm->tm_year = year - 1900;
  tm->tm_mon = month;
  tm->tm_mday = day;
  *seconds = static_cast<int64_t>(timegm(tm));
  return true;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT", fixed width.
bool ParseImfFixdate(std::string_view text, int64_t* seconds) {
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text.substr(25) != " GMT" || !IsDayName(text.substr(0, 3))) {
    return false;
  }
  struct tm tm;
  std::memset(&tm, 0, sizeof tm);
  int day, year;
  return ParseDigits(text.substr(5, 2), &day) && ParseDigits(text.substr(12, 4), &year) &&
         ParseTime(text.substr(17, 8), &tm) &&
         ToSeconds(year, MonthIndex(text.substr(8, 3)), day, &tm, seconds);
}

// RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT". RFC 9110: a two-digit year
// that would be more than 50 years in the future is the latest past year
// with those digits.
bool ParseRfc850(std::string_view text, int64_t* seconds, int64_t now) {
  size_t comma = text.find(", ");
  if (comma == std::string_view::npos || comma < 6) return false;
  std::string_view rest = text.substr(comma + 2);  // "06-Nov-94 08:49:37 GMT"
  if (rest.size() != 22 || rest[2] != '-' || rest[6] != '-' || rest[9] != ' ' ||
      rest.substr(18) != " GMT") {
    return false;
  }
  struct tm tm;
  std::memset(&tm, 0, sizeof tm);
  int day, year2;
  if (!ParseDigits(rest.substr(0, 2), &day) || !ParseDigits(rest.substr(7, 2), &year2) ||
      !ParseTime(rest.substr(10, 8), &tm)) {
    return false;
  }
  time_t now_t = static_cast<time_t>(now);
  struct tm now_tm;
  gmtime_r(&now_t, &now_tm);
  int this_year = now_tm.tm_year + 1900;
  int year = this_year - this_year % 100 + year2;
  if (year > this_year + 50) year -= 100;
  return ToSeconds(year, MonthIndex(rest.substr(3, 3)), day, &tm, seconds);
}

// asctime: "Sun Nov  6 08:49:37 1994" (a one-digit day after a space).
bool ParseAsctime(std::string_view text, int64_t* seconds) {
  if (text.size() != 24 || text[3] != ' ' || text[7] != ' ' || text[10] != ' ' ||
      text[19] != ' ' || !IsDayName(text.substr(0, 3))) {
    return false;
  }
  std::string_view day_text = text.substr(8, 2);
  if (day_text[0] == ' ') day_text.remove_prefix(1);
  struct tm tm;
  std::memset(&tm, 0, sizeof tm);
  int day, year;
  return ParseDigits(day_text, &day) && ParseDigits(text.substr(20, 4), &year) &&
         ParseTime(text.substr(11, 8), &tm) &&
         ToSeconds(year, MonthIndex(text.substr(4, 3)), day, &tm, seconds);
}

}  // namespace

bool ParseHttpDate(std::string_view text, int64_t* seconds) {
  return ParseHttpDate(text, seconds, static_cast<int64_t>(std::time(nullptr)));
}

bool ParseHttpDate(std::string_view text, int64_t* seconds, int64_t now) {
  return ParseImfFixdate(text, seconds) || ParseRfc850(text, seconds, now) ||
         ParseAsctime(text, seconds);
}

}  // namespace kiln
