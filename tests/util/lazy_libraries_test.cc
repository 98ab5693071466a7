// libcurl and libcrypto are opened on first use (util/curl_library.h,
// util/crypto_library.h), not linked: linking them made every kiln process,
// a no-op build included, pay ~7 ms to map and relocate 30 libraries. The
// libraries kiln does link come from their static archives
// (cmake/KilnLibraries.cmake), for the same reason.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

#include "util/crypto_library.h"
#include "util/curl_library.h"

namespace kiln {
namespace {

std::string NeededLibraries() {
  std::string out;
  FILE* pipe = ::popen((std::string("readelf -d '") + KILN_BINARY + "'").c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buf;
  while (size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  ::pclose(pipe);
  return out;
}

TEST(LazyLibraries, TheBinaryDoesNotLinkCurlOrCrypto) {
  const std::string needed = NeededLibraries();
  ASSERT_NE(needed.find("(NEEDED)"), std::string::npos) << needed;  // readelf ran and read it
  EXPECT_NE(needed.find("libstdc++"), std::string::npos) << needed;
  EXPECT_EQ(needed.find("libcurl"), std::string::npos) << needed;
  EXPECT_EQ(needed.find("libcrypto"), std::string::npos) << needed;
  EXPECT_EQ(needed.find("libssl"), std::string::npos) << needed;
}

TEST(LazyLibraries, TheLinkedLibrariesAreInTheBinary) {
  const std::string needed = NeededLibraries();
  ASSERT_NE(needed.find("(NEEDED)"), std::string::npos) << needed;
  // toml++ is compiled in whatever the configuration (src/load/toml_library.cc).
  EXPECT_EQ(needed.find("libtomlplusplus"), std::string::npos) << needed;
  if (!KILN_STATIC_LIBS_LINKED) {
    EXPECT_NE(needed.find("libsqlite3"), std::string::npos) << needed;
    GTEST_SKIP() << "configured with -DKILN_STATIC_LIBS=OFF, or a sanitizer build";
  }
  for (const char* lib : {"libsqlite3", "libyaml-cpp", "libcmark-gfm", "libxxhash",
                          "libsource-highlight", "libboost_regex", "libicu", "libjemalloc"}) {
    EXPECT_EQ(needed.find(lib), std::string::npos) << lib << " is linked as a shared library:\n"
                                                   << needed;
  }
}

TEST(LazyLibraries, CurlLoadsOnFirstUse) {
  std::string error;
  const CurlLibrary* curl = Curl(&error);
  ASSERT_NE(curl, nullptr) << error;
  CURLU* url = curl->url();
  ASSERT_EQ(curl->url_set(url, CURLUPART_URL, "https://example.org:8443/blog/", 0), CURLUE_OK);
  char* host = nullptr;
  ASSERT_EQ(curl->url_get(url, CURLUPART_HOST, &host, 0), CURLUE_OK);
  EXPECT_STREQ(host, "example.org");
  curl->free(host);
  curl->url_cleanup(url);
}

TEST(LazyLibraries, HmacSha256MatchesRfc4231) {
  // RFC 4231, test case 2.
  unsigned char digest[32];
  std::string error;
  ASSERT_TRUE(HmacSha256("Jefe", "what do ya want for nothing?", digest, &error)) << error;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  EXPECT_EQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_TRUE(ConstantTimeEqual("abc", "abc", 3));
  EXPECT_FALSE(ConstantTimeEqual("abc", "abd", 3));
}

}  // namespace
}  // namespace kiln
