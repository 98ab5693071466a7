#include "util/crypto_library.h"

#include <dlfcn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <mutex>

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
    void* handle = ::dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = ::dlerror();
      library.error = std::string("cannot load libcrypto.so.3 (Debian's libssl3): ") + (why ? why : "?");
      return;
    }
    library.hmac = reinterpret_cast<decltype(&::HMAC)>(::dlsym(handle, "HMAC"));
    library.sha256 = reinterpret_cast<decltype(&::EVP_sha256)>(::dlsym(handle, "EVP_sha256"));
    library.memcmp = reinterpret_cast<decltype(&::CRYPTO_memcmp)>(::dlsym(handle, "CRYPTO_memcmp"));
    if (!library.hmac || !library.sha256 || !library.memcmp) {
      library.error = "libcrypto.so.3 lacks HMAC, EVP_sha256 or CRYPTO_memcmp";
    }
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
