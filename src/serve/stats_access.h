// Who may read kiln serve's figures (/api/stats, /metrics, /_kiln/stats):
// they say what readers request and when, so they are off the public site.
// With [stats] enabled, a request is let in when
//   - it carries "Authorization: Bearer TOKEN" with the token kiln serve
//     was started with ($KILN_STATS_TOKEN), from anywhere; or
//   - its peer address is one of [stats] allow (exact match; an IPv4
//     address mapped into IPv6, "::ffff:127.0.0.1", counts as the IPv4
//     one), and it carries no Forwarded, X-Forwarded-For or Via header.
// The second condition matters behind a cache or proxy on the same machine
// (docs/deploy.md): every reader then arrives from 127.0.0.1, and those
// headers are how a proxy says it forwarded someone else's request.
#pragma once

#include <string>
#include <vector>

#include "serve/http_types.h"

namespace kiln {

class StatsAccess {
 public:
  // An empty `token` turns bearer tokens off.
  StatsAccess(std::vector<std::string> allow, std::string token)
      : allow_(std::move(allow)), token_(std::move(token)) {}

  bool Allows(const HttpRequest& request) const;

 private:
  bool TokenMatches(std::string_view authorization) const;

  std::vector<std::string> allow_;
  std::string token_;
};

}  // namespace kiln
