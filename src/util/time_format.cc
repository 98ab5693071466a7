#include "util/time_format.h"

#include <cctype>
#include <cstdio>

namespace kiln {
namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
// (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(yy + (*m <= 2));
}

bool ReadDigits(std::string_view s, size_t* pos, int count, int* out) {
  int v = 0;
  for (int i = 0; i < count; ++i) {
    if (*pos >= s.size() || !std::isdigit(static_cast<unsigned char>(s[*pos]))) return false;
    v = v * 10 + (s[(*pos)++] - '0');
  }
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

unsigned DaysInMonth(int y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

bool ParseIsoDate(std::string_view s, int64_t* seconds) {
  bool has_zone;
  return ParseIsoDate(s, seconds, &has_zone);
}

bool ParseIsoDate(std::string_view s, int64_t* seconds, bool* has_zone) {
  *has_zone = false;
  size_t pos = 0;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!ReadDigits(s, &pos, 4, &y) || !Expect(s, &pos, '-') || !ReadDigits(s, &pos, 2, &mo) ||
      !Expect(s, &pos, '-') || !ReadDigits(s, &pos, 2, &d))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > DaysInMonth(y, mo)) return false;
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
    ++pos;
    if (!ReadDigits(s, &pos, 2, &h) || !Expect(s, &pos, ':') || !ReadDigits(s, &pos, 2, &mi))
      return false;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ReadDigits(s, &pos, 2, &sec)) return false;
      if (pos < s.size() && s[pos] == '.') {
        const size_t digits = ++pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
        if (pos == digits) return false;  // "10:00:00.Z" has no fraction
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return false;
    // Jekyll's own spelling puts a space before the offset and may leave
    // out its colon: "2014-09-15 10:17:08 +0200".
    if (pos + 1 < s.size() && s[pos] == ' ' &&
        (s[pos + 1] == '+' || s[pos + 1] == '-' || s[pos + 1] == 'Z')) {
      ++pos;
    }
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
      ++pos;
      *has_zone = true;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
      int sign = s[pos++] == '-' ? -1 : 1, oh, om;
      if (!ReadDigits(s, &pos, 2, &oh)) return false;
      if (pos < s.size() && s[pos] == ':') ++pos;
      if (!ReadDigits(s, &pos, 2, &om) || oh > 23 || om > 59) return false;
      offset = sign * (oh * 3600 + om * 60);
      *has_zone = true;
    }
  }
  if (pos != s.size()) return false;
  *seconds = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
  return true;
}

std::string FormatRfc3339(int64_t seconds) {
  int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  int64_t rem = seconds - days * 86400;
  int y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  if (y < 0 || y > 9999) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", y, m, d,
                  static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                  static_cast<int>(rem % 60));
    return buf;
  }
  // The common case by hand: snprintf was a tenth of a comment build's
  // instructions (every post's date is formatted for its URL and listings).
  auto put2 = [](char* at, int v) {
    at[0] = static_cast<char>('0' + v / 10);
    at[1] = static_cast<char>('0' + v % 10);
  };
  put2(buf, y / 100);
  put2(buf + 2, y % 100);
  buf[4] = '-';
  put2(buf + 5, static_cast<int>(m));
  buf[7] = '-';
  put2(buf + 8, static_cast<int>(d));
  buf[10] = 'T';
  put2(buf + 11, static_cast<int>(rem / 3600));
  buf[13] = ':';
  put2(buf + 14, static_cast<int>(rem / 60 % 60));
  buf[16] = ':';
  put2(buf + 17, static_cast<int>(rem % 60));
  buf[19] = 'Z';
  return std::string(buf, 20);
}

std::string FormatDay(int64_t seconds) { return FormatRfc3339(seconds).substr(0, 10); }

std::string FormatHumanDate(int64_t seconds) {
  static const char* kMonths[] = {"January", "February", "March",     "April",
                                  "May",     "June",     "July",      "August",
                                  "September", "October", "November", "December"};
  std::string day = FormatDay(seconds);
  int month = std::stoi(day.substr(5, 2));
  return std::to_string(std::stoi(day.substr(8, 2))) + " " + kMonths[month - 1] + " " +
         day.substr(0, 4);
}

}  // namespace kiln
