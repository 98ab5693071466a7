// libcurl, opened the first time something sends a request, instead of
// linked into the binary. Linking it maps some 25 libraries (TLS, Kerberos,
// LDAP, SSH, IDN, …) into every kiln process: 5.6 ms of start-up measured on
// the 2-core machine, more than a third of the 15 ms a no-op build may take
// (docs/benchmarks.md), while only purges (edge/purger.h) and comment
// notifications (serve/comment_notifier.h) use the network.
//
// The functions are looked up by name from Debian's libcurl.so.4 and called
// through this table; the types and constants still come from <curl/curl.h>.
#pragma once

// The table's members are plain function pointers: curl's type-checking
// macros (typecheck-gcc.h) would otherwise rewrite every call named
// curl_easy_setopt.
#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK
#endif
#include <curl/curl.h>

#include <string>

namespace kiln {

#define KILN_CURL_FUNCTIONS(X)                  \
  X(global_init, curl_global_init)              \
  X(easy_init, curl_easy_init)                  \
  X(easy_setopt, curl_easy_setopt)              \
  X(easy_getinfo, curl_easy_getinfo)            \
  X(easy_cleanup, curl_easy_cleanup)            \
  X(easy_perform, curl_easy_perform)            \
  X(easy_strerror, curl_easy_strerror)          \
  X(multi_init, curl_multi_init)                \
  X(multi_add_handle, curl_multi_add_handle)    \
  X(multi_remove_handle, curl_multi_remove_handle) \
  X(multi_perform, curl_multi_perform)          \
  X(multi_poll, curl_multi_poll)                \
  X(multi_info_read, curl_multi_info_read)      \
  X(multi_cleanup, curl_multi_cleanup)          \
  X(slist_append, curl_slist_append)            \
  X(slist_free_all, curl_slist_free_all)        \
  X(url, curl_url)                              \
  X(url_set, curl_url_set)                      \
  X(url_get, curl_url_get)                      \
  X(url_cleanup, curl_url_cleanup)              \
  X(free, curl_free)

struct CurlLibrary {
#define KILN_CURL_MEMBER(member, symbol) decltype(&::symbol) member = nullptr;
  KILN_CURL_FUNCTIONS(KILN_CURL_MEMBER)
#undef KILN_CURL_MEMBER
};

// The loaded library, with curl_global_init already called; nullptr when
// libcurl.so.4 (Debian's libcurl4) cannot be opened or lacks a function,
// with `*error` saying which. Thread-safe; the library stays loaded.
const CurlLibrary* Curl(std::string* error = nullptr);

}  // namespace kiln
