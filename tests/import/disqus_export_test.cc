#include "import/disqus_export.h"

#include <gtest/gtest.h>

#include <string>

#include "unit_test_util.h"

namespace kiln {
namespace {

const std::string kExportFixture = std::string(KILN_SOURCE_DIR) + "/tests/fixtures/import/disqus_export.xml";

const char* const kHead =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<disqus xmlns=\"http://disqus.com\" xmlns:dsq=\"http://disqus.com/disqus-internals\">\n";

Status ParseExport(const std::string& xml, ForeignComments* out) { return ParseDisqusExport(xml, "export.xml", out); }

TEST(DisqusExport, ReadsThreadsAndPostsOfTheFixture) {
  ForeignComments in;
  Status s = ReadDisqusExport(kExportFixture, &in);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(in.source, "disqus");
  ASSERT_EQ(in.threads.size(), 5u);
  EXPECT_EQ(in.threads[0].id, "100");
  EXPECT_EQ(in.threads[0].url, "https://oldblog.example/2014/09/15/launch-day.html?utm_source=feed#disqus_thread");
  EXPECT_EQ(in.threads[0].title, "Launch day");
  ASSERT_EQ(in.comments.size(), 8u);
  const ForeignComment& first = in.comments[0];
  EXPECT_EQ(first.id, "1001");
  EXPECT_EQ(first.thread_id, "100");
  EXPECT_EQ(first.parent_id, "");
  EXPECT_EQ(first.author, "Ada Lovelace");
  EXPECT_EQ(first.email, "ada@example.org");
  EXPECT_EQ(first.created_at, "2014-09-15T10:00:00Z");
  EXPECT_EQ(first.body, "Great launch! See [the docs](<https://example.org/docs?a=1&b=2>).\n\n"
                        "2 \\* 3 = 6 \\& that's fine");
  EXPECT_EQ(in.comments[1].parent_id, "1001");
  EXPECT_EQ(in.comments[2].status, ForeignStatus::kSpam);
  EXPECT_EQ(in.comments[3].status, ForeignStatus::kDeleted);
  EXPECT_EQ(in.comments[4].author, "");
  // A date with an offset is converted to UTC.
  EXPECT_EQ(in.comments[5].created_at, "2015-01-11T10:00:00Z");
  EXPECT_EQ(in.comments[5].author, "Zoë Ünïcødé 日本");
  EXPECT_EQ(in.comments[6].author, "<b>Mallory</b>");
  EXPECT_EQ(in.comments[6].body, "Hi\\\nthere click");
}

TEST(DisqusExport, MalformedXmlNamesTheLine) {
  ForeignComments in;
  Status s = ParseExport(std::string(kHead) + "<thread dsq:id=\"1\">\n<link>x</link>\n</post>\n</disqus>\n", &in);
  EXPECT_EQ(s.ToString(), "export.xml:5: malformed XML: Opening and ending tag mismatch: thread line 3 and post");
}

TEST(DisqusExport, TruncatedFileIsAnError) {
  ForeignComments in;
  Status s = ParseExport(std::string(kHead) + "<thread dsq:id=\"1\">\n<link>x</link>\n", &in);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "export.xml:5: malformed XML: Premature end of data in tag thread line 3");
}

TEST(DisqusExport, WrongRootElementIsRefused) {
  ForeignComments in;
  EXPECT_EQ(ParseExport("<?xml version=\"1.0\"?>\n\n<rss/>\n", &in).ToString(),
            "export.xml:3: not a Disqus export: the root element is not <disqus>");
}

TEST(DisqusExport, PostOfAnUnknownThreadNamesItsLine) {
  ForeignComments in;
  Status s = ParseExport(std::string(kHead) +
                       "<post dsq:id=\"9\">\n<createdAt>2014-01-01T00:00:00Z</createdAt>\n"
                       "<thread dsq:id=\"77\"/>\n</post>\n</disqus>\n",
                   &in);
  EXPECT_EQ(s.ToString(), "export.xml:5: post 9 names no thread of this file (<thread dsq:id=\"77\">)");
}

TEST(DisqusExport, BadDateNamesItsLine) {
  ForeignComments in;
  Status s = ParseExport(std::string(kHead) + "<thread dsq:id=\"1\"><link>/a/</link></thread>\n" +
                       "<post dsq:id=\"9\">\n<thread dsq:id=\"1\"/>\n<createdAt>yesterday</createdAt>\n</post>\n</disqus>\n",
                   &in);
  EXPECT_EQ(s.ToString(), "export.xml:6: bad <createdAt> 'yesterday' (expected 2014-09-15T10:00:00Z)");
}

TEST(DisqusExport, PostWithoutIdIsAnError) {
  ForeignComments in;
  Status s = ParseExport(std::string(kHead) + "\n<post>\n</post>\n</disqus>\n", &in);
  EXPECT_EQ(s.ToString(), "export.xml:4: <post> without a dsq:id");
}

// Billion laughs: the DOCTYPE is refused before any entity is declared,
// so nothing is expanded (and the parse is instant).
TEST(DisqusExport, BillionLaughsIsRefused) {
  std::string xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n";
  for (int i = 1; i < 10; ++i) {
    xml += " <!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) xml += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    xml += "\">\n";
  }
  xml += "]>\n<disqus><thread dsq:id=\"1\"><title>&lol9;</title></thread></disqus>\n";
  ForeignComments in;
  double seconds = unit::SecondsToRun([&] {
    EXPECT_EQ(ParseExport(xml, &in).ToString(),
              "export.xml:2: a DOCTYPE is not allowed in a Disqus export (entities are not expanded)");
  });
  EXPECT_LT(seconds, 1.0);
  EXPECT_TRUE(in.threads.empty());
}

// External entities (XXE) would read local files: refused the same way.
TEST(DisqusExport, ExternalEntityIsRefused) {
  ForeignComments in;
  Status s = ParseExport("<?xml version=\"1.0\"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                   "<disqus><thread dsq:id=\"1\"><title>&x;</title></thread></disqus>\n",
                   &in);
  EXPECT_EQ(s.line(), 2);
  EXPECT_NE(s.message().find("DOCTYPE is not allowed"), std::string::npos);
  EXPECT_TRUE(in.threads.empty());
}

// An undeclared entity is malformed XML, never looked up anywhere.
TEST(DisqusExport, UndeclaredEntityIsMalformed) {
  ForeignComments in;
  Status s = ParseExport(std::string(kHead) + "<thread dsq:id=\"1\"><title>&x;</title></thread>\n</disqus>\n", &in);
  EXPECT_EQ(s.ToString(), "export.xml:3: malformed XML: Entity 'x' not defined");
}

// Hostile nesting stops at libxml2's depth limit, with the line.
TEST(DisqusExport, HugeNestingIsAnError) {
  std::string xml = kHead;
  for (int i = 0; i < 100000; ++i) xml += "<a>";
  ForeignComments in;
  Status s = ParseExport(xml, &in);
  EXPECT_EQ(s.ToString(), "export.xml:3: malformed XML: Excessive depth in document: 256 use XML_PARSE_HUGE option");
}

TEST(DisqusExport, MissingFileNamesIt) {
  ForeignComments in;
  Status s = ReadDisqusExport("/nonexistent/export.xml", &in);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.file(), "/nonexistent/export.xml");
}

}  // namespace
}  // namespace kiln
