// Opening a shared library on first use (dlopen) and finding its functions:
// what util/curl_library.h, util/crypto_library.h and import/xml_library.h
// share. Each keeps its own table of functions and says why it is not
// linked.
#pragma once

#include <dlfcn.h>

#include <string>

namespace kiln {

// dlopen(`soname`) with RTLD_LOCAL (its dependencies stay out of the global
// symbol scope); nullptr with `*error` naming `package` when it fails.
inline void* OpenSharedLibrary(const char* soname, const char* package, std::string* error) {
  void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    *error = std::string("cannot load ") + soname + " (Debian's " + package + "): " + (why ? why : "?");
  }
  return handle;
}

// `*out` = the function `symbol` of `handle`; on the first one missing,
// `*error` names it (later ones leave the first message).
template <typename Function>
void FindFunction(void* handle, const char* soname, const char* symbol, Function* out, std::string* error) {
  *out = reinterpret_cast<Function>(::dlsym(handle, symbol));
  if (!*out && error->empty()) *error = std::string(soname) + " has no " + symbol;
}

// A library's table of functions, and why it could not be filled (empty
// when every function was found).
template <typename Library>
struct LoadedLibrary {
  Library library;
  std::string error;
};

// `load()` run once per process (thread-safe, as a function's static is):
// the filled table, or nullptr with `*error` (when given) saying why.
template <typename Library>
const Library* LoadOnce(LoadedLibrary<Library> (*load)(), std::string* error) {
  static const LoadedLibrary<Library> loaded = load();
  if (!loaded.error.empty()) {
    if (error) *error = loaded.error;
    return nullptr;
  }
  return &loaded.library;
}

}  // namespace kiln
