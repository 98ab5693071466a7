// Implementation notes: the realpath() check runs only on cache misses (the
// file cache keys on the normalized path), so its syscalls do not show in
// the served-from-memory figures. A symlink swapped between the check and
// the read would need write access to site/, which only kiln has.
#include "serve/path_resolver.h"

#include <climits>
#include <cstdlib>
#include <sys/stat.h>

#include "util/strings.h"

namespace kiln {
namespace {

// Decodes one segment (no raw '/' inside). Encoded '/' and '\' are refused:
// decoding them would create separators the segment check never saw.
Status DecodeSegment(std::string_view raw, std::string* out) {
  out->clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size()) {
        return Status::Invalid("bad percent-encoding in path");
      }
      int hi = HexDigitValue(raw[i + 1]);
      int lo = HexDigitValue(raw[i + 2]);
      if (hi < 0 || lo < 0) return Status::Invalid("bad percent-encoding in path");
      c = static_cast<char>(hi * 16 + lo);
      if (c == '/' || c == '\\') return Status::Invalid("encoded separator in path");
      i += 2;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Status::Invalid("control character in path");
    }
    if (c == '\\') return Status::Invalid("backslash in path");
    out->push_back(c);
  }
  if (*out == "." || *out == "..") return Status::Invalid("dot segment in path");
  return Status::Ok();
}

bool IsPchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~!$&'()*+,;=:@").find(static_cast<char>(c)) !=
             std::string_view::npos;
}

// realpath() of `path`, or "" when it does not resolve.
std::string RealPath(const std::filesystem::path& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf) == nullptr) return {};
  return buf;
}

bool IsInside(const std::string& real, const std::string& real_root) {
  if (real == real_root) return true;
  return real.size() > real_root.size() && real.compare(0, real_root.size(), real_root) == 0 &&
         real[real_root.size()] == '/';
}

}  // namespace

Status NormalizeTarget(std::string_view target, NormalizedTarget* out) {
  // Only origin-form (RFC 9112 3.2.1): absolute-form ("http://h/x"),
  // authority-form and "*" name nothing a static blog serves.
  if (target.empty() || target[0] != '/') return Status::Invalid("request target must start with '/'");
  std::string_view path = target;
  out->query.clear();
  size_t cut = path.find_first_of("?#");
  if (cut != std::string_view::npos) {
    if (path[cut] == '?') {
      std::string_view rest = path.substr(cut + 1);
      out->query = std::string(rest.substr(0, rest.find('#')));
    }
    path = path.substr(0, cut);
  }
  out->trailing_slash = path.back() == '/';
  out->path.clear();
  std::string segment;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view raw = path.substr(start, end - start);
    if (!raw.empty()) {
      KILN_RETURN_IF_ERROR(DecodeSegment(raw, &segment));
      if (!out->path.empty()) out->path += '/';
      out->path += segment;
    }
    start = end + 1;
  }
  return Status::Ok();
}

std::string EncodePath(std::string_view decoded_path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : decoded_path) {
    if (c == '/' || IsPchar(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Resolution ResolveInSite(const std::filesystem::path& site_dir, const NormalizedTarget& target) {
  Resolution result;
  std::string real_root = RealPath(site_dir);
  if (real_root.empty()) return result;
  std::filesystem::path candidate = target.path.empty() ? site_dir : site_dir / target.path;
  std::string real = RealPath(candidate);
  struct stat st;
  if (real.empty() || !IsInside(real, real_root) || stat(real.c_str(), &st) != 0) return result;
  std::string relative = target.path;
  if (S_ISDIR(st.st_mode)) {
    if (!target.trailing_slash) {
      // SPEC.md: "/posts/a redirects to /posts/a/". Built from the decoded
      // path, never the raw target, so "//evil.example" cannot come back.
      result.kind = Resolution::Kind::kRedirect;
      result.location = "/" + EncodePath(target.path) + "/";
      if (!target.query.empty()) result.location += "?" + target.query;
      return result;
    }
    relative = relative.empty() ? "index.html" : relative + "/index.html";
    candidate = site_dir / relative;
    real = RealPath(candidate);
    if (real.empty() || !IsInside(real, real_root) || stat(real.c_str(), &st) != 0) return result;
  } else if (target.trailing_slash) {
    return result;  // "/feed.xml/" names a folder that does not exist
  }
  if (!S_ISREG(st.st_mode)) return result;
  result.kind = Resolution::Kind::kFile;
  result.file = real;
  result.relative = relative;
  return result;
}

}  // namespace kiln
