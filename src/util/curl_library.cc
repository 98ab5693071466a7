#include "util/curl_library.h"

#include "util/shared_library.h"

namespace kiln {
namespace {

using LoadedCurl = LoadedLibrary<CurlLibrary>;

LoadedCurl LoadCurl() {
  LoadedCurl loaded;
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

const CurlLibrary* Curl(std::string* error) { return LoadOnce(&LoadCurl, error); }

}  // namespace kiln
