#include "serve/webhook.h"

#include <ctime>

#include "serve/rebuild_coordinator.h"
#include "util/crypto_library.h"
#include "util/strings.h"

namespace kiln {
namespace {

// UNIX seconds as kiln's form sends them: 1 to 12 decimal digits, nothing else.
bool ParseUnixSeconds(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 12) return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

}  // namespace

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char digest[32];
  if (!HmacSha256(key, data, digest)) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

bool VerifySignature(std::string_view secret, std::string_view data, std::string_view header) {
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
  return HmacSha256(secret, data, expected) && ConstantTimeEqual(given, expected, 32);
}

RebuildWebhook::RebuildWebhook(std::string secret, RebuildCoordinator* coordinator,
                               std::function<int64_t()> now)
    : secret_(std::move(secret)), coordinator_(coordinator), now_(std::move(now)) {
  if (!now_) now_ = [] { return static_cast<int64_t>(std::time(nullptr)); };
}

std::string RebuildWebhook::Refusal(const HttpRequest& request) {
  std::string why;
  std::string_view kiln_signature = request.Header("x-kiln-signature");
  std::string_view hub_signature = request.Header("x-hub-signature-256");
  if (!kiln_signature.empty()) {
    std::string_view stamp = request.Header("x-kiln-timestamp");
    int64_t timestamp = 0;
    if (!ParseUnixSeconds(stamp, &timestamp)) {
      return "missing or invalid X-Kiln-Timestamp: expected UNIX seconds, signed with the body";
    }
    std::string data = std::string(stamp) + "." + request.body;
    if (!VerifySignature(secret_, data, kiln_signature)) {
      return "invalid X-Kiln-Signature: expected sha256=HMAC-SHA256(secret, TIMESTAMP.BODY)";
    }
    if (!replays_.AcceptSigned(timestamp, ToLower(kiln_signature), now_(), &why)) return why;
    return "";
  }
  if (!hub_signature.empty()) {
    if (!VerifySignature(secret_, request.body, hub_signature)) {
      return "invalid X-Hub-Signature-256: expected sha256=HMAC-SHA256(secret, body)";
    }
    if (!replays_.AcceptDelivery(std::string(request.Header("x-github-delivery")), &why)) return why;
    return "";
  }
  return "missing signature: X-Kiln-Timestamp and X-Kiln-Signature, or GitHub's "
         "X-Hub-Signature-256 and X-GitHub-Delivery";
}

HandlerResult RebuildWebhook::Handle(const HttpRequest& request) {
  HandlerResult result;
  if (!enabled()) {
    result.response = JsonErrorResponse(
        404, "the rebuild webhook is off: set KILN_WEBHOOK_SECRET before kiln serve");
    return result;
  }
  std::string refusal = Refusal(request);
  if (!refusal.empty()) {
    result.response = JsonErrorResponse(401, refusal);
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
