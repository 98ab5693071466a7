// Purges in the caches in front of kiln (SPEC.md, "The edge": "kiln sends
// PURGE for each written or removed URL path, through libcurl, to every
// endpoint in [edge] purge, with the Host of base_url; a failed purge is
// retried and reported, and never fails the build").
//
// SendPurges blocks; `kiln build` calls it after the build, and the server
// calls it through PurgeQueue (purge_queue.h) so that a slow cache delays a
// comment's answer by at most one attempt's timeout.
#pragma once

#include <string>
#include <vector>

namespace kiln {

struct EdgeConfig;

// What one build asks the caches to forget.
struct PurgeTarget {
  std::vector<std::string> paths;  // URL paths ("/posts/a/"): PURGE PATH
  std::vector<std::string> tags;   // cache tags: PURGE / with "xkey-purge: TAG…"
  bool empty() const { return paths.empty() && tags.empty(); }
  // Adds `other`'s paths and tags that are not already here.
  void Merge(const PurgeTarget& other);
};

struct PurgeResult {
  size_t endpoints = 0;
  size_t requests = 0;  // purges to make: (paths + tag batches) x endpoints
  size_t purged = 0;    // answered 2xx, or 404 ("was not cached", as nginx's cache_purge says)
  size_t failed = 0;    // no such answer after every attempt
  size_t retries = 0;   // attempts after the first, over all requests
  double duration_ms = 0;
  std::vector<std::string> errors;  // "http://h:6081 PURGE /posts/a/: HTTP 500 (3 attempts)"; 5 per endpoint
  bool ok() const { return failed == 0; }
};

// The Host header purges carry (base_url's "host[:port]") and the path
// prefix of its pages ("/" or "/blog/"), from base_url.
struct PurgeSite {
  std::string host;
  std::string path_prefix = "/";
};
PurgeSite PurgeSiteOf(const std::string& base_url);

// Sends every purge of `target` to every endpoint of `config.purge`, in
// parallel through one libcurl multi handle (at most kMaxParallel at once,
// connections reused). Each attempt is bounded by `config.timeout_ms`; a
// failed one (no connection, a timeout, a status other than 2xx or 404) is
// tried again up to `config.retries` times, 100 ms, 200 ms, … later. Tags go
// in batches of one header line each. Never throws and never fails: what
// did not work is in the result. Thread-safe.
PurgeResult SendPurges(const EdgeConfig& config, const std::string& host, const PurgeTarget& target);

constexpr size_t kMaxParallel = 16;

// One line for people: "purged 3 URLs at 1 endpoint in 4.2 ms" or
// "purge failed: 2 of 6 requests: …".
std::string DescribePurge(const PurgeResult& result);

// The `purge` object of `kiln build --json` (SPEC.md's report, extended):
// {"endpoints", "requests", "purged", "failed", "retries", "duration_ms", "errors"}.
std::string PurgeResultToJson(const PurgeResult& result);

}  // namespace kiln
