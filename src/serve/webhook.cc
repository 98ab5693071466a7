#include "serve/webhook.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "serve/rebuild_coordinator.h"
#include "util/strings.h"

namespace kiln {
namespace {

bool Hmac(std::string_view key, std::string_view data, unsigned char* out /*32 bytes*/) {
  unsigned int len = 0;
  return HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
              reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len) !=
             nullptr &&
         len == 32;
}

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char digest[32];
  if (!Hmac(key, data, digest)) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

bool VerifySignature(std::string_view secret, std::string_view body, std::string_view header) {
  static constexpr std::string_view kPrefix = "sha256=";
  if (secret.empty() || header.size() != kPrefix.size() + 64 || !header.starts_with(kPrefix)) {
    return false;
  }
  unsigned char given[32];
  for (size_t i = 0; i < 32; ++i) {
    int hi = HexDigitValue(header[kPrefix.size() + 2 * i]);
    int lo = HexDigitValue(header[kPrefix.size() + 2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    given[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  unsigned char expected[32];
  return Hmac(secret, body, expected) && CRYPTO_memcmp(given, expected, 32) == 0;
}

HandlerResult RebuildWebhook::Handle(const HttpRequest& request) {
  HandlerResult result;
  if (!enabled()) {
    result.response = JsonErrorResponse(
        404, "the rebuild webhook is off: set KILN_WEBHOOK_SECRET before kiln serve");
    return result;
  }
  if (!VerifySignature(secret_, request.body, request.Header("x-kiln-signature"))) {
    result.response = JsonErrorResponse(
        401, "missing or invalid X-Kiln-Signature: expected sha256=HMAC-SHA256(secret, body)");
    result.response.SetHeader("WWW-Authenticate", "X-Kiln-Signature");
    return result;
  }
  result.deferred = [this](std::function<void(HttpResponse)> respond) {
    RebuildJob job;
    job.done = [respond](const JobResult& r) {
      if (!r.built || !r.report) {
        respond(JsonErrorResponse(503, "no build ran: " + r.prepared.ToString()));
      } else if (!r.build.ok()) {
        respond(JsonErrorResponse(500, "build failed: " + r.build.ToString()));
      } else {
        respond(MakeResponse(200, "application/json", BuildReportToJson(*r.report) + "\n"));
      }
    };
    coordinator_->Submit(std::move(job));
  };
  return result;
}

}  // namespace kiln
