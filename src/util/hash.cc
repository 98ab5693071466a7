#include "util/hash.h"

#include <xxhash.h>

#include <cstdio>

namespace kiln {

Fingerprint HashBytes(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

Hasher::Hasher() : state_(XXH3_createState()) {
  XXH3_64bits_reset(static_cast<XXH3_state_t*>(state_));
}

Hasher::~Hasher() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

Hasher& Hasher::Add(std::string_view field) {
  auto* s = static_cast<XXH3_state_t*>(state_);
  uint64_t size = field.size();
  XXH3_64bits_update(s, &size, sizeof size);
  XXH3_64bits_update(s, field.data(), field.size());
  return *this;
}

Hasher& Hasher::AddRaw(std::string_view bytes) {
  XXH3_64bits_update(static_cast<XXH3_state_t*>(state_), bytes.data(), bytes.size());
  return *this;
}

Hasher& Hasher::Add(int64_t value) {
  XXH3_64bits_update(static_cast<XXH3_state_t*>(state_), &value, sizeof value);
  return *this;
}

Fingerprint Hasher::Finish() const {
  return XXH3_64bits_digest(static_cast<XXH3_state_t*>(state_));
}

std::string FingerprintToHex(Fingerprint fp) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fp));
  return buf;
}

bool ParseFingerprintHex(std::string_view hex, Fingerprint* out) {
  if (hex.size() != 16) return false;
  Fingerprint v = 0;
  for (char c : hex) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else return false;
    v = (v << 4) | static_cast<Fingerprint>(d);
  }
  *out = v;
  return true;
}

}  // namespace kiln
