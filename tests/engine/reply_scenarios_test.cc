// Replies (issue 8) and SPEC.md invariant 2, "Minimal": a reply, an
// approval or a deletion of a parent, a parent changed by SQL, each renders
// exactly the pages that show it: the post, plus the one listing showing
// its comment count when the count changes.
//
// The fixture: posts p1..p4, three a page, so /page/2/ lists p1 alone; p2
// and p3 are tagged beta.
#include <gtest/gtest.h>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

using Urls = std::vector<std::string>;

class ReplyScenarios : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 1; i <= 4; ++i) {
      std::vector<std::string> tags;
      if (i == 2 || i == 3) tags = {"beta"};
      site_.WritePost("p" + std::to_string(i), "Post " + std::to_string(i),
                      "2026-01-0" + std::to_string(i), tags, "Body " + std::to_string(i) + ".\n");
    }
    site_.Build();
    site_.Sql("INSERT INTO comments(id, post, author, body, created_at) VALUES "
              "(1, 'p1', 'Ada', 'First', '2026-11-01T10:00:00Z'), "
              "(2, 'p1', 'Bob', 'Second', '2026-11-02T10:00:00Z')");
    site_.Build();
  }

  std::string Page() { return site_.ReadFile("site/posts/p1/index.html"); }

  // The text of the <li> of comment `id`, up to where the next comment starts.
  std::string RepliesOf(int id) {
    const std::string html = Page();
    const size_t at = html.find("<li class=\"comment\" id=\"comment-" + std::to_string(id) + "\">");
    if (at == std::string::npos) return "";
    const size_t replies = html.find("<ol class=\"replies\">", at);
    const size_t next = html.find("<li class=\"comment\" id=\"comment-", at + 1);
    if (replies == std::string::npos || (next != std::string::npos && next < replies)) return "";
    return html.substr(replies, html.find("</ol>", replies) - replies);
  }

  TempSite site_{/*posts_per_page=*/3, /*feed_size=*/4};
};

TEST_F(ReplyScenarios, AReplyRendersItsPostAndItsListingAndNestsUnderItsParent) {
  site_.Sql("INSERT INTO comments(id, post, author, body, created_at, parent) "
            "VALUES (3, 'p1', 'Cy', 'Agreed', '2026-11-03T10:00:00Z', 1)");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/2/", "/posts/p1/"}));
  EXPECT_NE(RepliesOf(1).find("id=\"comment-3\""), std::string::npos);
  EXPECT_NE(Page().find("in reply to <bdi>Ada</bdi>"), std::string::npos);
  EXPECT_EQ(RepliesOf(2), "");
}

// The count is unchanged, so only the post page shows the difference; the
// fingerprint of a post's comments covers `parent`.
TEST_F(ReplyScenarios, ChangingAParentBySqlRendersThePostOnly) {
  site_.Sql("UPDATE comments SET parent = 1 WHERE id = 2");
  EXPECT_EQ(site_.Build().rendered, Urls{"/posts/p1/"});
  EXPECT_NE(RepliesOf(1).find("id=\"comment-2\""), std::string::npos);
}

TEST_F(ReplyScenarios, DeletingTheParentKeepsTheReplyAtTopLevel) {
  site_.Sql("INSERT INTO comments(id, post, author, body, created_at, parent) "
            "VALUES (3, 'p1', 'Cy', 'Agreed', '2026-11-03T10:00:00Z', 1)");
  site_.Build();
  site_.Sql("DELETE FROM comments WHERE id = 1");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/2/", "/posts/p1/"}));
  EXPECT_NE(Page().find("<li class=\"comment\" id=\"comment-3\">"), std::string::npos);
  EXPECT_EQ(Page().find("in reply to"), std::string::npos);
  EXPECT_EQ(Page().find("comment-1\""), std::string::npos);
}

// A reply to a held comment shows at top level; approving the parent puts
// it back under it, and renders the post and its listing (the count moves).
TEST_F(ReplyScenarios, ApprovingAHeldParentNestsItsReply) {
  site_.Sql("INSERT INTO comments(id, post, author, body, created_at, status) "
            "VALUES (3, 'p1', 'Cy', 'Held', '2026-11-03T10:00:00Z', 'pending')");
  site_.Sql("INSERT INTO comments(id, post, author, body, created_at, parent) "
            "VALUES (4, 'p1', 'Di', 'To a held one', '2026-11-04T10:00:00Z', 3)");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/2/", "/posts/p1/"}));
  EXPECT_NE(Page().find("<li class=\"comment\" id=\"comment-4\">"), std::string::npos);
  EXPECT_EQ(Page().find("in reply to"), std::string::npos);
  site_.Sql("UPDATE comments SET status = 'published' WHERE id = 3");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/2/", "/posts/p1/"}));
  EXPECT_NE(RepliesOf(3).find("id=\"comment-4\""), std::string::npos);
}

// A parent on another post is no parent: top level, and the other post's
// page is not rendered.
TEST_F(ReplyScenarios, AParentOnAnotherPostIsIgnored) {
  site_.Sql("INSERT INTO comments(id, post, author, body, created_at) "
            "VALUES (3, 'p2', 'Cy', 'Elsewhere', '2026-11-03T10:00:00Z')");
  site_.Build();
  site_.Sql("INSERT INTO comments(id, post, author, body, created_at, parent) "
            "VALUES (4, 'p1', 'Di', 'Lost?', '2026-11-04T10:00:00Z', 3)");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/2/", "/posts/p1/"}));
  EXPECT_NE(Page().find("<li class=\"comment\" id=\"comment-4\">"), std::string::npos);
  EXPECT_EQ(Page().find("in reply to"), std::string::npos);
}

// Each comment carries a reply form that works without JavaScript: a
// <details> holding a form whose hidden `parent` is the comment's id.
TEST_F(ReplyScenarios, EachCommentHasAReplyFormCarryingItsId) {
  const std::string html = Page();
  EXPECT_NE(html.find("<input type=\"hidden\" name=\"parent\" value=\"1\">"), std::string::npos);
  EXPECT_NE(html.find("<input type=\"hidden\" name=\"parent\" value=\"2\">"), std::string::npos);
  EXPECT_NE(html.find("<details class=\"reply\">"), std::string::npos);
}

}  // namespace
}  // namespace kiln::testing
