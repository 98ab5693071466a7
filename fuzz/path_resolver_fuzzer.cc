// libFuzzer target: the URL path resolver of kiln serve (serve/path_resolver.h)
// on arbitrary request-targets, against a small site/ that has a symlink
// pointing outside it and a secret file beside it.
//
// Aborts when a normalized path keeps a dot segment, an empty segment, a
// backslash or a control byte; when a resolved file lies outside the real
// site/ or is not a regular file; when a redirect could leave the site
// ("//host", "/\host") or break a header; or when EncodePath emits a byte
// outside RFC 3986 pchar, '/' and "%XX".
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "serve/path_resolver.h"

namespace {

namespace fs = std::filesystem;

void Fail(const char* what, std::string_view target) {
  std::fprintf(stderr, "PATH RESOLVER: %s for target '%.*s'\n", what,
               static_cast<int>(target.size()), target.data());
  std::abort();
}

void WriteFile(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// site/ with a page, a folder, a feed, a symlink to a file outside and one
// to the folder above; the root is removed when the process exits.
struct Site {
  fs::path root, site;
  std::string real_site;
  Site() {
    root = fs::temp_directory_path() / ("kiln-resolver-fuzz-" + std::to_string(getpid()));
    site = root / "site";
    WriteFile(site / "index.html", "home");
    WriteFile(site / "posts" / "a" / "index.html", "post a");
    WriteFile(site / "feed.xml", "feed");
    WriteFile(site / "static" / "style.css", "css");
    WriteFile(root / "secret.txt", "secret");
    fs::create_directory_symlink(root, site / "up");
    fs::create_symlink(root / "secret.txt", site / "secret.txt");
    char buf[PATH_MAX];
    real_site = realpath(site.c_str(), buf) ? buf : "";
  }
  ~Site() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

bool IsPchar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

void CheckEncoded(std::string_view encoded, std::string_view target) {
  for (size_t i = 0; i < encoded.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(encoded[i]);
    if (c == '%') {
      if (i + 2 >= encoded.size() || !IsHex(encoded[i + 1]) || !IsHex(encoded[i + 2])) {
        Fail("EncodePath emitted a bad escape", target);
      }
      i += 2;
    } else if (c != '/' && !IsPchar(c)) {
      Fail("EncodePath emitted a byte outside pchar", target);
    }
  }
}

void CheckNormalized(const kiln::NormalizedTarget& n, std::string_view target) {
  if (!n.path.empty() && (n.path.front() == '/' || n.path.back() == '/')) {
    Fail("normalized path starts or ends with '/'", target);
  }
  size_t start = 0;
  while (!n.path.empty() && start <= n.path.size()) {
    size_t end = n.path.find('/', start);
    if (end == std::string::npos) end = n.path.size();
    std::string_view segment = std::string_view(n.path).substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") Fail("bad segment kept", target);
    start = end + 1;
  }
  for (unsigned char c : n.path) {
    if (c < 0x20 || c == 0x7f || c == '\\') Fail("control byte or backslash kept", target);
  }
}

void CheckResolution(const Site& site, const kiln::Resolution& r, std::string_view target) {
  using Kind = kiln::Resolution::Kind;
  if (r.kind == Kind::kFile) {
    std::string file = r.file.string();
    if (file.compare(0, site.real_site.size() + 1, site.real_site + "/") != 0) {
      Fail("resolved a file outside site/", target);
    }
    struct stat st;
    if (stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) Fail("resolved a non-file", target);
    if (r.relative.empty() || r.relative.front() == '/') Fail("bad relative path", target);
  } else if (r.kind == Kind::kRedirect) {
    const std::string& loc = r.location;
    if (loc.size() < 2 || loc.front() != '/' || loc[1] == '/' || loc[1] == '\\') {
      Fail("redirect could leave the site", target);
    }
    for (unsigned char c : loc) {
      if (c < 0x20 || c == 0x7f) Fail("control byte in a redirect", target);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Site site;
  std::string_view target(reinterpret_cast<const char*>(data), size);
  CheckEncoded(kiln::EncodePath(target), target);
  // The HTTP layer refuses a request-target with a raw space or control
  // byte (RFC 9112 3.2: a target is visible characters), so the resolver
  // never sees one; the http_request fuzzer covers that layer.
  for (unsigned char c : target) {
    if (c <= 0x20 || c == 0x7f) return 0;
  }
  kiln::NormalizedTarget normalized;
  if (!kiln::NormalizeTarget(target, &normalized).ok()) return 0;
  CheckNormalized(normalized, target);
  CheckEncoded(kiln::EncodePath(normalized.path), target);
  CheckResolution(site, kiln::ResolveInSite(site.site, normalized), target);
  return 0;
}
