#include "serve/preview_address.h"

namespace kiln {

bool IsLoopbackBaseUrl(const std::string& base_url) {
  const size_t scheme = base_url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  std::string_view authority = std::string_view(base_url).substr(start);
  authority = authority.substr(0, authority.find('/'));
  if (authority.starts_with("[")) return authority.starts_with("[::1]");
  const std::string_view host = authority.substr(0, authority.find(':'));
  const bool dotted_digits = host.find_first_not_of("0123456789.") == std::string_view::npos;
  return host == "localhost" || (host.starts_with("127.") && dotted_digits);
}

PreviewRewrite PreviewRewriteFor(bool preview, const std::string& base_url, const std::string& base_path,
                                 const std::string& host, int port) {
  if (!preview) return {};
  std::string shown = host;
  if (shown.empty() || shown == "0.0.0.0") shown = "127.0.0.1";
  if (shown == "::") shown = "::1";
  if (shown.find(':') != std::string::npos) shown = "[" + shown + "]";
  return {base_url, "http://" + shown + ":" + std::to_string(port) + base_path};
}

bool IsRewritableType(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.find("xml") != std::string_view::npos ||
         content_type.find("json") != std::string_view::npos;
}

std::string RewriteBody(std::string_view body, const PreviewRewrite& rewrite) {
  if (!rewrite.active()) return std::string(body);
  std::string out;
  out.reserve(body.size());
  size_t at = 0;
  for (size_t hit; (hit = body.find(rewrite.from, at)) != std::string_view::npos; at = hit + rewrite.from.size()) {
    out.append(body, at, hit - at);
    out += rewrite.to;
  }
  out.append(body, at);
  return out;
}

}  // namespace kiln
