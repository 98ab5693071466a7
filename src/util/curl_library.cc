#include "util/curl_library.h"

#include <dlfcn.h>

#include <mutex>

namespace kiln {
namespace {

struct Loaded {
  CurlLibrary library;
  std::string error;  // empty when every function was found
};

Loaded Load() {
  Loaded loaded;
  // RTLD_LOCAL: curl's dependencies stay out of the global symbol scope.
  void* handle = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    loaded.error = std::string("cannot load libcurl (libcurl.so.4, Debian's libcurl4): ") + (why ? why : "?");
    return loaded;
  }
#define KILN_CURL_LOOKUP(member, symbol)                                                  \
  loaded.library.member = reinterpret_cast<decltype(&::symbol)>(::dlsym(handle, #symbol)); \
  if (!loaded.library.member && loaded.error.empty()) loaded.error = "libcurl.so.4 has no " #symbol;
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
