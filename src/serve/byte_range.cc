#include "serve/byte_range.h"

#include "serve/http_date.h"

namespace kiln {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Decimal digits only; values past 2^62 saturate (any file is shorter).
bool ParsePosition(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  int64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    if (value < (int64_t{1} << 58)) value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

bool StartsWithBytesUnit(std::string_view header) {
  if (header.size() < 6 || header[5] != '=') return false;
  for (size_t i = 0; i < 5; ++i) {
    char c = header[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    if (c != "bytes"[i]) return false;
  }
  return true;
}

}  // namespace

RangeAnswer ParseRange(std::string_view header, int64_t size, ByteRange* out) {
  header = TrimSpaces(header);
  if (!StartsWithBytesUnit(header)) return RangeAnswer::kWhole;
  std::string_view spec = TrimSpaces(header.substr(6));
  // One range only (see the header); "bytes=0-1," is still one.
  while (!spec.empty() && spec.back() == ',') spec = TrimSpaces(spec.substr(0, spec.size() - 1));
  if (spec.find(',') != std::string_view::npos) return RangeAnswer::kWhole;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeAnswer::kWhole;
  std::string_view first_text = TrimSpaces(spec.substr(0, dash));
  std::string_view last_text = TrimSpaces(spec.substr(dash + 1));
  int64_t first, last;
  if (first_text.empty()) {  // suffix: the last N bytes
    int64_t suffix;
    if (!ParsePosition(last_text, &suffix)) return RangeAnswer::kWhole;
    if (suffix == 0 || size == 0) return RangeAnswer::kUnsatisfiable;
    first = suffix >= size ? 0 : size - suffix;
    last = size - 1;
  } else {
    if (!ParsePosition(first_text, &first)) return RangeAnswer::kWhole;
    if (last_text.empty()) {
      last = size - 1;
    } else if (!ParsePosition(last_text, &last) || last < first) {
      return RangeAnswer::kWhole;  // RFC 9110 14.1.1: invalid, so ignored
    }
    if (first >= size) return RangeAnswer::kUnsatisfiable;
    if (last >= size) last = size - 1;
  }
  out->first = first;
  out->length = last - first + 1;
  return RangeAnswer::kPartial;
}

bool IfRangeAllows(std::string_view if_range, std::string_view etag, int64_t mtime_seconds) {
  if_range = TrimSpaces(if_range);
  if (if_range.empty()) return true;
  if (if_range.front() == '"' || if_range.starts_with("W/")) return if_range == etag;
  int64_t date;
  return ParseHttpDate(if_range, &date) && date == mtime_seconds;
}

}  // namespace kiln
