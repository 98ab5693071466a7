// Fingerprints: 64-bit XXH3 hashes of exactly the bytes a page used.
// XXH3 rather than SHA-256 because fingerprints guard against change, not
// against an attacker, and a no-op build hashes thousands of small values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kiln {

using Fingerprint = uint64_t;

Fingerprint HashBytes(std::string_view bytes);

// Hashes a sequence of fields; each field given to Add is length-prefixed so
// that ("ab","c") and ("a","bc") differ (AddRaw's bytes are not).
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  Hasher& Add(std::string_view field);
  Hasher& Add(int64_t value);
  // Bytes as they are, with no length: AddRaw(a).AddRaw(b) gives
  // HashBytes(a + b), for a record hashed in pieces as it is written.
  Hasher& AddRaw(std::string_view bytes);
  Fingerprint Finish() const;

 private:
  void* state_;  // XXH3_state_t, kept out of the header
};

// Lower-case 16-digit hex of a fingerprint, and back (false when malformed).
std::string FingerprintToHex(Fingerprint fp);
bool ParseFingerprintHex(std::string_view hex, Fingerprint* out);

}  // namespace kiln
