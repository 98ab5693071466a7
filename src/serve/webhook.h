// POST /api/rebuild (SPEC.md, "The server": "incremental build on demand …
// authenticated with an HMAC-SHA256 signature of the body in
// X-Kiln-Signature: sha256=HEX using the secret in the environment variable
// KILN_WEBHOOK_SECRET; without a valid signature 401, and without a secret
// configured the endpoint is off").
//
// Answers:
//   404  no secret configured (the endpoint does not exist);
//   401  signature missing, malformed or wrong (nothing is built);
//   200  the build's `kiln build --json` report (engine/build.h);
//   500  {"error": …} when the build failed.
// The signature covers the raw body bytes exactly as received, like
// GitHub's X-Hub-Signature-256, so a CI job can sign with
// `openssl dgst -sha256 -hmac "$SECRET"`.
#pragma once

#include <string>
#include <string_view>

#include "serve/http_server.h"

namespace kiln {

class RebuildCoordinator;

// Lower-case hex of HMAC-SHA256(key, data), through OpenSSL.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// True when `header` is "sha256=" followed by the 64 hex digits (either
// case) of HMAC-SHA256(secret, body). The digests are compared in constant
// time (CRYPTO_memcmp), so timing reveals nothing about the right one.
// Always false for an empty secret.
bool VerifySignature(std::string_view secret, std::string_view body, std::string_view header);

class RebuildWebhook {
 public:
  // An empty `secret` turns the endpoint off. `coordinator` must outlive this.
  RebuildWebhook(std::string secret, RebuildCoordinator* coordinator)
      : secret_(std::move(secret)), coordinator_(coordinator) {}

  bool enabled() const { return !secret_.empty(); }
  HandlerResult Handle(const HttpRequest& request);

 private:
  std::string secret_;
  RebuildCoordinator* coordinator_;
};

}  // namespace kiln
