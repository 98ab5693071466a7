#include "load/permalink.h"

#include <vector>

#include "util/strings.h"
#include "util/time_format.h"

namespace kiln {
namespace {

// Implementation details: a pattern is expanded token by token, then the
// result goes through the same check as a user's own permalink, so a title
// part of ".." or a token that slugifies to nothing cannot escape site/.

// Longest first, so ":i_month" is not read as ":i" and "_month".
const char* const kTokens[] = {":short_year", ":i_month", ":i_day", ":month", ":title",
                               ":year",       ":slug",    ":day"};

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsPathChar(unsigned char c) {
  if (IsAsciiAlnum(c) || c >= 0x80) return true;
  return std::string_view("-._~!$&'()+,;=@/").find(static_cast<char>(c)) != std::string_view::npos;
}

bool PrettyKeep(unsigned char c) {
  if (IsAsciiAlnum(c) || c >= 0x80) return true;
  return std::string_view("._~!$&'()+,;=@").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string_view MatchToken(std::string_view rest) {
  for (const char* token : kTokens) {
    if (StartsWith(rest, token)) return token;
  }
  return {};
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexDigitValue(text[i + 1]) >= 0 &&
        HexDigitValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigitValue(text[i + 1]) * 16 + HexDigitValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// `day` is the post's local date as YYYY-MM-DD.
std::string TokenValue(std::string_view token, const PostMeta& post, const std::string& day) {
  if (token == ":year") return day.substr(0, 4);
  if (token == ":short_year") return day.substr(2, 2);
  if (token == ":month") return day.substr(5, 2);
  if (token == ":day") return day.substr(8, 2);
  if (token == ":i_month") return std::to_string(std::stoi(day.substr(5, 2)));
  if (token == ":i_day") return std::to_string(std::stoi(day.substr(8, 2)));
  if (token == ":slug") return post.slug;
  return JekyllTitleSlug(post.title_part);  // :title
}

}  // namespace

bool CheckPermalinkPattern(const std::string& pattern, std::string* error) {
  if (!StartsWith(pattern, "/")) {
    *error = "must start with '/': \"" + pattern + "\"";
    return false;
  }
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != ':') continue;
    std::string_view token = MatchToken(std::string_view(pattern).substr(i));
    if (token.empty()) {
      *error = "unknown token at \"" + pattern.substr(i) +
               "\" (known: :year :month :day :i_month :i_day :short_year :slug :title)";
      return false;
    }
    i += token.size() - 1;
  }
  const std::string last = pattern.substr(pattern.rfind('/') + 1);
  if (!last.empty() && last.find('.') == std::string::npos) {
    *error = "must end in '/' or in a file name such as \":title.html\": \"" + pattern + "\"";
    return false;
  }
  return true;
}

std::string JekyllTitleSlug(std::string_view text) {
  std::string out;
  bool pending_dash = false;
  for (unsigned char c : text) {
    if (!PrettyKeep(c)) {
      pending_dash = !out.empty();
      continue;
    }
    if (pending_dash) out += '-';
    pending_dash = false;
    out += static_cast<char>(c);
  }
  return out;
}

bool ExpandPermalink(const std::string& pattern, const PostMeta& post, std::string* url,
                     std::string* error) {
  std::string out;
  const std::string day = FormatDay(post.date_local);
  for (size_t i = 0; i < pattern.size(); ++i) {
    std::string_view token =
        pattern[i] == ':' ? MatchToken(std::string_view(pattern).substr(i)) : std::string_view();
    if (token.empty()) {
      out += pattern[i];
      continue;
    }
    out += TokenValue(token, post, day);
    i += token.size() - 1;
  }
  if (!SanitizeSitePath(out, "", url, error)) {
    *error = "the permalink pattern gives \"" + out + "\": " + *error;
    return false;
  }
  return true;
}

namespace {

// True when `text` is already a clean site path: "/" then segments of path
// characters, none empty, "." or "..", nothing to decode or trim. Every
// post's URL passes here on every build, so the common case skips the
// decoding and splitting below.
bool IsCleanSitePath(std::string_view text) {
  if (text.size() < 2 || text[0] != '/') return false;
  size_t segment_start = 1;
  for (size_t i = 1; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '/') {
      if (!IsPathChar(static_cast<unsigned char>(text[i]))) return false;
      continue;
    }
    const std::string_view segment = text.substr(segment_start, i - segment_start);
    if (segment == "." || segment == "..") return false;
    if (segment.empty() && i < text.size()) return false;  // "//"
    segment_start = i + 1;
  }
  return true;
}

}  // namespace

bool SanitizeSitePath(std::string_view text, const std::string& base_url, std::string* path,
                      std::string* error) {
  if ((base_url.empty() || !StartsWith(text, base_url)) && IsCleanSitePath(text)) {
    std::string out(text);
    const std::string_view last = text.substr(text.rfind('/') + 1);
    if (!last.empty() && last.find('.') == std::string_view::npos) out += '/';
    *path = std::move(out);
    return true;
  }
  std::string decoded = PercentDecode(Trim(text));
  if (!base_url.empty() && StartsWith(decoded, base_url)) {
    decoded = "/" + decoded.substr(base_url.size());
  } else if (decoded.find("://") != std::string::npos || StartsWith(decoded, "//")) {
    *error = "\"" + std::string(text) + "\" is not a path of this site (" + base_url + ")";
    return false;
  }
  std::vector<std::string> segments;
  std::string segment;
  for (size_t i = 0; i <= decoded.size(); ++i) {
    const unsigned char c = i < decoded.size() ? decoded[i] : '/';
    if (!IsPathChar(c)) {
      *error = "\"" + std::string(text) + "\" holds a character a site path may not hold";
      return false;
    }
    if (c != '/') {
      segment += static_cast<char>(c);
      continue;
    }
    if (segment == "." || segment == "..") {
      *error = "\"" + std::string(text) + "\" would leave the site (a '.' or '..' segment)";
      return false;
    }
    if (!segment.empty()) segments.push_back(std::move(segment));
    segment.clear();
  }
  if (segments.empty()) {
    *error = "\"" + std::string(text) + "\" is the home page";
    return false;
  }
  std::string out;
  for (const auto& s : segments) out += "/" + s;
  // "/about" is a folder, "/old.html" a file (SPEC.md: a pattern ending in
  // ".html" names the file itself).
  if (segments.back().find('.') == std::string::npos || EndsWith(decoded, "/")) out += "/";
  *path = std::move(out);
  return true;
}

}  // namespace kiln
