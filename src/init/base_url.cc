#include "init/base_url.h"

#include <algorithm>

#include "util/strings.h"

namespace kiln {
namespace {

// RFC 3986 host: a registered name (letters, digits, '-', '.'), an IPv4
// address, or an IPv6 literal in brackets. Internationalised names must be
// given in their xn-- form, which is what goes on the wire anyway.
bool ValidHost(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') {
    return host.size() > 2 && host.back() == ']' &&
           host.substr(1, host.size() - 2).find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos;
  }
  if (host.front() == '.' || host.front() == '-') return false;
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

bool ValidPort(std::string_view port) {
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) return false;
  const int n = std::stoi(std::string(port));
  return n >= 1 && n <= 65535;
}

}  // namespace

Status NormalizeBaseUrl(std::string_view url, std::string* normalized) {
  auto refuse = [&](const std::string& why) {
    return Status::Invalid("--base-url " + std::string(url) + ": " + why +
                           " (an address such as https://blog.example/ or https://you.github.io/blog/)");
  };
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>') {
      return refuse("spaces, quotes, backslashes, control and non-ASCII characters must be percent-encoded");
    }
  }
  const size_t colon = url.find("://");
  const std::string scheme = colon == std::string_view::npos ? "" : ToLower(url.substr(0, colon));
  if (scheme != "http" && scheme != "https") return refuse("it must start with https:// or http://");
  std::string_view rest = url.substr(colon + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return refuse("a query or fragment has no place in it");
  const std::string_view authority = rest.substr(0, rest.find('/'));
  const std::string_view path = rest.substr(authority.size());
  if (authority.find('@') != std::string_view::npos) return refuse("user names and passwords have no place in it");
  std::string_view host = authority, port;
  const size_t bracket = authority.rfind(']');
  const size_t port_colon = authority.rfind(':');
  if (port_colon != std::string_view::npos && (bracket == std::string_view::npos || port_colon > bracket)) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
    if (!ValidPort(port)) return refuse("the port must be a number from 1 to 65535");
  }
  if (!ValidHost(host)) return refuse("it has no valid host name");
  for (size_t start = 0; start < path.size();) {
    const size_t end = std::min(path.find('/', start), path.size());
    const std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") return refuse("'.' and '..' have no place in its path");
    start = end + 1;
  }
  *normalized = scheme + "://" + std::string(authority) + (path.empty() ? "/" : std::string(path));
  if (normalized->back() != '/') *normalized += '/';
  return Status::Ok();
}

Status WithBaseUrl(std::string_view toml, std::string_view base_url, std::string* out) {
  out->clear();
  bool set = false, top_level = true;
  for (size_t start = 0; start < toml.size();) {
    const size_t end = std::min(toml.find('\n', start), toml.size());
    const std::string_view line = toml.substr(start, end - start);
    const std::string_view newline = toml.substr(end, end < toml.size() ? 1 : 0);
    start = end + 1;
    if (line.starts_with("[")) top_level = false;  // keys below a table header are the table's
    if (top_level && line.starts_with("# CHANGE ME before publishing: the address readers use")) {
      out->append("# The address readers use, e.g.").append(newline);
      continue;
    }
    if (top_level && !set && line.starts_with("base_url = \"")) {
      out->append("base_url = \"").append(base_url).append("\"").append(newline);
      set = true;
      continue;
    }
    out->append(line).append(newline);
  }
  if (!set) return Status::Invalid("the sample kiln.toml has no base_url line to set");
  return Status::Ok();
}

}  // namespace kiln
