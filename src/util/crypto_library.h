// HMAC-SHA256 and constant-time comparison from OpenSSL's libcrypto, opened
// the first time a signature is checked instead of linked into the binary:
// libcrypto's 3,400 symbol bindings were the largest share of every kiln
// process's start-up (docs/benchmarks.md), and only the server's webhook
// and stats token use it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kiln {

// HMAC-SHA256(key, data) into `out` (32 bytes). False when libcrypto.so.3
// (Debian's libssl3) cannot be loaded, with `*error` saying why: callers
// then refuse what they were asked to verify.
bool HmacSha256(std::string_view key, std::string_view data, unsigned char* out, std::string* error = nullptr);

// a[0..n) == b[0..n) in time that does not depend on where they differ
// (OpenSSL's CRYPTO_memcmp). False, never a guess, without libcrypto.
bool ConstantTimeEqual(const void* a, const void* b, size_t n);

}  // namespace kiln
