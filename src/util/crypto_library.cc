#include "util/crypto_library.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <mutex>

#include "util/shared_library.h"

namespace kiln {
namespace {

struct CryptoLibrary {
  decltype(&::HMAC) hmac = nullptr;
  decltype(&::EVP_sha256) sha256 = nullptr;
  decltype(&::CRYPTO_memcmp) memcmp = nullptr;
  std::string error;  // empty when all three were found
};

const CryptoLibrary& Crypto() {
  static std::once_flag once;
  static CryptoLibrary library;
  std::call_once(once, [] {
    void* handle = OpenSharedLibrary("libcrypto.so.3", "libssl3", &library.error);
    if (!handle) return;
    FindFunction(handle, "libcrypto.so.3", "HMAC", &library.hmac, &library.error);
    FindFunction(handle, "libcrypto.so.3", "EVP_sha256", &library.sha256, &library.error);
    FindFunction(handle, "libcrypto.so.3", "CRYPTO_memcmp", &library.memcmp, &library.error);
  });
  return library;
}

}  // namespace

bool HmacSha256(std::string_view key, std::string_view data, unsigned char* out, std::string* error) {
  const CryptoLibrary& crypto = Crypto();
  if (!crypto.error.empty()) {
    if (error) *error = crypto.error;
    return false;
  }
  unsigned int len = 0;
  return crypto.hmac(crypto.sha256(), key.data(), static_cast<int>(key.size()),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len) != nullptr &&
         len == 32;
}

bool ConstantTimeEqual(const void* a, const void* b, size_t n) {
  const CryptoLibrary& crypto = Crypto();
  return crypto.error.empty() && crypto.memcmp(a, b, n) == 0;
}

}  // namespace kiln
