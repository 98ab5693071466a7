// The hostile payloads of tests/fixtures/hostile_comments.json against the
// comment renderer. Issue 7: the payload tests used to pass with kiln's own
// URL filter removed, cmark's safe mode alone satisfying 76 of 77. Each
// payload is now also run through kiln's sanitiser with cmark's safe mode
// off, and every URL cmark finds in it through the URL filter directly.
#include <cmark-gfm.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "render/comment_html_check.h"
#include "render/comment_markdown.h"
#include "render/markdown.h"

namespace kiln {
namespace {

std::vector<std::string> Payloads(const char* set) {
  std::ifstream in(std::string(KILN_SOURCE_DIR) + "/tests/fixtures/hostile_comments.json");
  nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains(set)) return {};
  return doc[set].get<std::vector<std::string>>();
}

const std::vector<std::string>& ScriptPayloads() {
  static const std::vector<std::string> payloads = Payloads("script");
  return payloads;
}

const std::vector<std::string>& CmarkLetsThrough() {
  static const std::vector<std::string> payloads = Payloads("cmark_lets_through");
  return payloads;
}

TEST(CommentPayloads, FixtureHoldsEnough) {
  EXPECT_GE(ScriptPayloads().size(), 150u);
  EXPECT_GE(CmarkLetsThrough().size(), 15u);
}

// Every link and image URL of a parsed document, as cmark decoded it
// (entities and backslash escapes undone). TreeEdit is a plain function, so
// the list is a thread-local.
thread_local std::vector<std::string> collected_urls;

void CollectUrls(cmark_node* document) {
  cmark_iter* iter = cmark_iter_new(document);
  for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(iter);
    cmark_node_type type = cmark_node_get_type(node);
    if (ev == CMARK_EVENT_ENTER && (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE)) {
      collected_urls.push_back(cmark_node_get_url(node));
    }
  }
  cmark_iter_free(iter);
}

std::vector<std::string> UrlsIn(const std::string& markdown) {
  collected_urls.clear();
  RenderMarkdown(markdown, CMARK_OPT_UNSAFE, CollectUrls);
  return collected_urls;
}

bool RunsOrLoadsSomethingElse(const std::string& url) {
  std::string seen = test::BrowserView(url);
  for (const char* scheme : {"javascript:", "vbscript:", "data:", "file:", "livescript:", "blob:"}) {
    if (seen.rfind(scheme, 0) == 0) return true;
  }
  return false;
}

class CommentXssTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CommentXssTest, NothingRunsScript) {
  // SPEC.md "Comments": nothing a commenter writes can run script in a
  // reader's browser: no <script>, no event handler attribute, no
  // javascript:/vbscript:/data: URL in href or src.
  const std::string html = RenderCommentMarkdown(GetParam());
  EXPECT_EQ(test::CommentHtmlViolations(html), "") << "input: " << GetParam() << "\noutput: " << html;
  for (const std::string& tag : test::Tags(html)) {
    if (tag.rfind("<a ", 0) == 0) {
      EXPECT_EQ(tag.rfind("<a rel=\"nofollow ugc\" ", 0), 0u) << tag;
    }
  }
}

TEST_P(CommentXssTest, KilnSanitiserAloneIsEnough) {
  // cmark's safe mode off (raw HTML kept, no URL scrubbing): only kiln's
  // tree edit stands between the payload and the page.
  const std::string html = RenderMarkdown(GetParam(), CMARK_OPT_UNSAFE, SanitiseCommentTree);
  EXPECT_EQ(test::CommentHtmlViolations(html), "") << "input: " << GetParam() << "\noutput: " << html;
}

TEST_P(CommentXssTest, UrlFilterRefusesEveryScriptUrl) {
  for (const std::string& url : UrlsIn(GetParam())) {
    if (RunsOrLoadsSomethingElse(url)) EXPECT_FALSE(IsSafeCommentUrl(url)) << url;
  }
}

INSTANTIATE_TEST_SUITE_P(Payloads, CommentXssTest, ::testing::ValuesIn(ScriptPayloads()));

// What cmark's safe mode renders unsafely on its own (data: images, remote
// images, headings above the page's): proof that these payloads test kiln.
class CmarkLetsThroughTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CmarkLetsThroughTest, CmarkSafeModeAloneDoesNotStopIt) {
  const std::string html = RenderMarkdown(GetParam(), CMARK_OPT_DEFAULT, nullptr);
  EXPECT_NE(test::CommentHtmlViolations(html), "") << "input: " << GetParam() << "\noutput: " << html;
}

TEST_P(CmarkLetsThroughTest, KilnStopsIt) {
  const std::string html = RenderCommentMarkdown(GetParam());
  EXPECT_EQ(test::CommentHtmlViolations(html), "") << "input: " << GetParam() << "\noutput: " << html;
}

INSTANTIATE_TEST_SUITE_P(Payloads, CmarkLetsThroughTest, ::testing::ValuesIn(CmarkLetsThrough()));

}  // namespace
}  // namespace kiln
