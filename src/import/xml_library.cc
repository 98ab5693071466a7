#include "import/xml_library.h"

#include <dlfcn.h>

#include <mutex>

namespace kiln {
namespace {

struct Loaded {
  XmlLibrary library;
  std::string error;  // empty when every symbol was found
};

Loaded Load() {
  Loaded loaded;
  // RTLD_LOCAL: libxml2's dependencies (ICU) stay out of the global scope.
  void* handle = ::dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = ::dlerror();
    loaded.error = std::string("cannot load libxml2 (libxml2.so.2, Debian's libxml2): ") + (why ? why : "?");
    return loaded;
  }
#define KILN_XML_LOOKUP(member, symbol)                                                   \
  loaded.library.member = reinterpret_cast<decltype(&::symbol)>(::dlsym(handle, #symbol)); \
  if (!loaded.library.member && loaded.error.empty()) loaded.error = "libxml2.so.2 has no " #symbol;
  KILN_XML_FUNCTIONS(KILN_XML_LOOKUP)
#undef KILN_XML_LOOKUP
  loaded.library.free_function = reinterpret_cast<xmlFreeFunc*>(::dlsym(handle, "xmlFree"));
  if (!loaded.library.free_function && loaded.error.empty()) loaded.error = "libxml2.so.2 has no xmlFree";
  if (loaded.error.empty()) loaded.library.init_parser();
  return loaded;
}

}  // namespace

const XmlLibrary* Xml(std::string* error) {
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
