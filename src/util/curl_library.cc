#include "util/curl_library.h"

#include <mutex>

#include "util/shared_library.h"

namespace kiln {
namespace {

struct Loaded {
  CurlLibrary library;
  std::string error;  // empty when every function was found
};

Loaded Load() {
  Loaded loaded;
  void* handle = OpenSharedLibrary("libcurl.so.4", "libcurl4", &loaded.error);
  if (!handle) return loaded;
#define KILN_CURL_LOOKUP(member, symbol) \
  FindFunction(handle, "libcurl.so.4", #symbol, &loaded.library.member, &loaded.error);
  KILN_CURL_FUNCTIONS(KILN_CURL_LOOKUP)
#undef KILN_CURL_LOOKUP
  if (loaded.error.empty()) loaded.library.global_init(CURL_GLOBAL_DEFAULT);
  return loaded;
}

}  // namespace

const CurlLibrary* Curl(std::string* error) {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = Load(); });
  if (!loaded.error.empty()) {
    if (error) *error = loaded.error;
    return nullptr;
  }
  return &loaded.library;
}

}  // namespace kiln
