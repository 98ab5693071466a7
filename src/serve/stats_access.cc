#include "serve/stats_access.h"

#include <algorithm>

#include "util/crypto_library.h"

namespace kiln {

bool StatsAccess::TokenMatches(std::string_view authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (token_.empty() || !authorization.starts_with(kBearer)) return false;
  std::string_view given = authorization.substr(kBearer.size());
  // Compared in constant time, as the webhook's signatures are.
  return given.size() == token_.size() && ConstantTimeEqual(given.data(), token_.data(), token_.size());
}

bool StatsAccess::Allows(const HttpRequest& request) const {
  if (TokenMatches(request.Header("authorization"))) return true;
  if (!request.Header("forwarded").empty() || !request.Header("x-forwarded-for").empty() ||
      !request.Header("via").empty()) {
    return false;
  }
  std::string_view addr = request.client_addr;
  constexpr std::string_view kMapped = "::ffff:";
  if (addr.starts_with(kMapped) && addr.find('.') != std::string_view::npos) addr.remove_prefix(kMapped.size());
  return std::find(allow_.begin(), allow_.end(), addr) != allow_.end();
}

}  // namespace kiln
