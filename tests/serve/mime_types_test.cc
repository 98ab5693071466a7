#include "serve/mime_types.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(MimeTypesTest, KnownExtensionsCaseInsensitively) {
  EXPECT_EQ(MimeTypeForPath("posts/a/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(MimeTypeForPath("IMG.PNG"), "image/png");
  EXPECT_EQ(MimeTypeForPath("fonts/x.woff2"), "font/woff2");
  EXPECT_EQ(MimeTypeForPath("sitemap.xml"), "application/xml; charset=utf-8");
}

// Issue 8: kiln's feeds, the site's and each tag's, are served as Atom;
// only a file named exactly feed.xml is one.
TEST(MimeTypesTest, FeedsAreAtom) {
  EXPECT_EQ(MimeTypeForPath("feed.xml"), "application/atom+xml; charset=utf-8");
  EXPECT_EQ(MimeTypeForPath("tags/c/feed.xml"), "application/atom+xml; charset=utf-8");
  EXPECT_EQ(MimeTypeForPath("tags/c/myfeed.xml"), "application/xml; charset=utf-8");
  EXPECT_EQ(MimeTypeForPath("feed.xml/x.xml"), "application/xml; charset=utf-8");
}

TEST(MimeTypesTest, UnknownOrMissingExtensionIsOctetStream) {
  EXPECT_EQ(MimeTypeForPath("README"), "application/octet-stream");
  EXPECT_EQ(MimeTypeForPath("a.b/README"), "application/octet-stream");  // dot in a folder
  EXPECT_EQ(MimeTypeForPath("x.exe"), "application/octet-stream");
}

}  // namespace
}  // namespace kiln
