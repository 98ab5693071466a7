// POST /api/rebuild (SPEC.md, "The server": "incremental build on demand …
// authenticated with an HMAC-SHA256 signature using the secret in the
// environment variable KILN_WEBHOOK_SECRET, in either form: kiln's own,
// X-Kiln-Timestamp: UNIX_SECONDS and X-Kiln-Signature: sha256=HEX over
// TIMESTAMP.BODY, refused when the timestamp is more than 300 s away or was
// already used; or GitHub's, X-Hub-Signature-256: sha256=HEX over the body,
// with a X-GitHub-Delivery id that was not seen before. Without a valid
// signature 401; without a secret configured the endpoint is off").
//
// Answers:
//   404  no secret configured (the endpoint does not exist);
//   401  signature missing, malformed or wrong, timestamp missing or more
//        than 300 s away, or a call already accepted (replay_guard.h);
//        nothing is built;
//   200  the build's `kiln build --json` report (engine/build.h);
//   500  {"error": …} when the build failed;
//   503  with Retry-After when the server is stopping.
// When a call carries X-Kiln-Signature, kiln's form is the one checked.
// Signatures cover the raw body bytes exactly as received, so a CI job can
// sign with `openssl dgst -sha256 -hmac "$SECRET"` (docs/server.md).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "serve/http_server.h"
#include "serve/replay_guard.h"

namespace kiln {

class RebuildCoordinator;

// Lower-case hex of HMAC-SHA256(key, data), through OpenSSL.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// True when `header` is "sha256=" followed by the 64 hex digits (either
// case) of HMAC-SHA256(secret, data). The digests are compared in constant
// time (CRYPTO_memcmp), so timing reveals nothing about the right one.
// Always false for an empty secret.
bool VerifySignature(std::string_view secret, std::string_view data, std::string_view header);

class RebuildWebhook {
 public:
  // An empty `secret` turns the endpoint off. `coordinator` must outlive
  // this. `now` gives UNIX seconds (the wall clock by default).
  RebuildWebhook(std::string secret, RebuildCoordinator* coordinator,
                 std::function<int64_t()> now = nullptr);

  bool enabled() const { return !secret_.empty(); }
  HandlerResult Handle(const HttpRequest& request);

 private:
  // Empty when `request` is authentic and new, else why it is refused.
  std::string Refusal(const HttpRequest& request);

  std::string secret_;
  RebuildCoordinator* coordinator_;
  std::function<int64_t()> now_;
  ReplayGuard replays_;
};

}  // namespace kiln
