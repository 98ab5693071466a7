#include "store/comment_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "store/database.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

class CommentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status s = OpenDatabase(dir_ / "kiln.db", &db_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    store_ = std::make_unique<CommentStore>(db_.get());
  }
  int64_t Add(const std::string& post, const std::string& body,
              const std::string& status = "published") {
    NewComment c;
    c.post = post;
    c.author = "Ada";
    c.body = body;
    c.status = status;
    Comment stored;
    EXPECT_TRUE(store_->Add(c, &stored).ok());
    return stored.id;
  }
  std::map<std::string, int64_t> Versions() {
    std::map<std::string, int64_t> v;
    EXPECT_TRUE(store_->ReadVersions(&v).ok());
    return v;
  }

  unit::TempDir dir_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<CommentStore> store_;
};

TEST_F(CommentStoreTest, AddFillsStoredRow) {
  NewComment c;
  c.post = "p";
  c.author = "Ada";
  c.email = "ada@example.org";
  c.body = "Hi";
  c.client_addr = "10.0.0.1";
  Comment stored;
  ASSERT_TRUE(store_->Add(c, &stored).ok());
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.post, "p");
  EXPECT_EQ(stored.email, "ada@example.org");
  EXPECT_EQ(stored.status, "published");
  EXPECT_EQ(stored.created_at.size(), 20u);
  EXPECT_EQ(stored.created_at, stored.modified_at);
  EXPECT_FALSE(stored.parent.has_value());
}

TEST_F(CommentStoreTest, AddWithBadStatusIsAnError) {
  NewComment c;
  c.post = "p";
  c.author = "a";
  c.body = "b";
  c.status = "bogus";
  EXPECT_EQ(store_->Add(c, nullptr).code(), Status::Code::kIo);
  EXPECT_TRUE(Versions().empty());
}

TEST_F(CommentStoreTest, ReadPublishedSkipsPendingAndSpam) {
  Add("p", "one");
  Add("p", "held", "pending");
  Add("p", "junk", "spam");
  Add("q", "elsewhere");
  std::vector<Comment> out;
  ASSERT_TRUE(store_->ReadPublished("p", &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].body, "one");
}

TEST_F(CommentStoreTest, ReadPublishedOrdersByCreatedAtThenId) {
  db_->exec("INSERT INTO comments(post, author, body, created_at) VALUES "
            "('p', 'a', 'late', '2026-01-02T00:00:00Z'), ('p', 'a', 'early', '2026-01-01T00:00:00Z'),"
            "('p', 'a', 'late2', '2026-01-02T00:00:00Z')");
  std::vector<Comment> out;
  ASSERT_TRUE(store_->ReadPublished("p", &out).ok());
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].body, "early");
  EXPECT_EQ(out[1].body, "late");
  EXPECT_EQ(out[2].body, "late2");
}

// One scan gives what ReadPublished gives, post by post, in every field a
// page shows.
TEST_F(CommentStoreTest, ReadAllShownEqualsReadPublishedOfEachPostInTheShownFields) {
  db_->exec("INSERT INTO comments(post, author, body, created_at, status) VALUES "
            "('q', 'a', 'q late', '2026-01-02T00:00:00Z', 'published'),"
            "('p', 'a', 'p late', '2026-01-02T00:00:00Z', 'published'),"
            "('p', 'a', 'p early', '2026-01-01T00:00:00Z', 'published'),"
            "('p', 'a', 'p pending', '2026-01-01T00:00:00Z', 'pending'),"
            "('r', 'a', 'r spam', '2026-01-01T00:00:00Z', 'spam'),"
            "('q', 'a', 'q early', '2026-01-01T00:00:00Z', 'published')");
  db_->exec(
      "INSERT INTO comments(post, author, email, body, created_at, status, parent) VALUES "
      "('q', 'b', 'b@example.org', 'q reply', '2026-01-03T00:00:00Z', 'published', 1)");
  std::map<std::string, std::vector<Comment>> all;
  ASSERT_TRUE(store_->ReadAllShown(&all).ok());
  ASSERT_EQ(all.size(), 2u);  // r has no published comment
  for (const char* post : {"p", "q"}) {
    std::vector<Comment> one;
    ASSERT_TRUE(store_->ReadPublished(post, &one).ok());
    ASSERT_EQ(all[post].size(), one.size()) << post;
    for (size_t i = 0; i < one.size(); ++i) {
      const Comment& c = all[post][i];
      EXPECT_EQ(c.id, one[i].id);
      EXPECT_EQ(c.author, one[i].author);
      EXPECT_EQ(c.body, one[i].body);
      EXPECT_EQ(c.created_at, one[i].created_at);
      EXPECT_EQ(c.parent, one[i].parent);
      EXPECT_EQ(c.status, "published");
      EXPECT_EQ(c.post, "");   // the map's key
      EXPECT_EQ(c.email, "");  // never shown, not read
    }
  }
  EXPECT_EQ(all["p"][0].body, "p early");
  EXPECT_EQ(all["q"][1].body, "q late");
  ASSERT_EQ(all["q"].size(), 3u);
  EXPECT_EQ(all["q"][2].parent, std::optional<int64_t>(1));
}

TEST_F(CommentStoreTest, ListFiltersByPostAndStatus) {
  Add("p", "1");
  Add("p", "2", "pending");
  Add("q", "3", "pending");
  std::vector<Comment> out;
  ASSERT_TRUE(store_->List("", "", &out).ok());
  EXPECT_EQ(out.size(), 3u);
  ASSERT_TRUE(store_->List("", "pending", &out).ok());
  EXPECT_EQ(out.size(), 2u);
  ASSERT_TRUE(store_->List("p", "pending", &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].body, "2");
}

TEST_F(CommentStoreTest, SetStatusBumpsVersion) {
  int64_t id = Add("p", "x", "pending");
  ASSERT_EQ(Versions()["p"], 1);
  ASSERT_TRUE(store_->SetStatus(id, "published").ok());
  EXPECT_EQ(Versions()["p"], 2);
  std::vector<Comment> out;
  ASSERT_TRUE(store_->ReadPublished("p", &out).ok());
  EXPECT_EQ(out.size(), 1u);
}

TEST_F(CommentStoreTest, SetStatusOfMissingIdIsNotFound) {
  EXPECT_EQ(store_->SetStatus(999, "spam").code(), Status::Code::kNotFound);
  EXPECT_TRUE(Versions().empty());
}

TEST_F(CommentStoreTest, SetStatusRefusesUnknownStatus) {
  int64_t id = Add("p", "x");
  EXPECT_EQ(store_->SetStatus(id, "hidden").code(), Status::Code::kInvalid);
  EXPECT_EQ(Versions()["p"], 1);
}

TEST_F(CommentStoreTest, DeleteBumpsVersionAndRemoves) {
  int64_t id = Add("p", "x");
  ASSERT_TRUE(store_->Delete(id).ok());
  EXPECT_EQ(Versions()["p"], 2);  // the post stays in comment_versions
  std::vector<Comment> out;
  ASSERT_TRUE(store_->List("p", "", &out).ok());
  EXPECT_TRUE(out.empty());
}

TEST_F(CommentStoreTest, DeleteOfMissingIdIsNotFound) {
  Add("p", "x");
  EXPECT_EQ(store_->Delete(12345).code(), Status::Code::kNotFound);
  EXPECT_EQ(Versions()["p"], 1);
}

TEST_F(CommentStoreTest, PlainSqlCommentIsReadLikeOurs) {
  db_->exec("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('some-slug', 'Ada', 'Nice *post*', '2026-11-26T10:00:00Z')");
  std::vector<Comment> out;
  ASSERT_TRUE(store_->ReadPublished("some-slug", &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].author, "Ada");
  EXPECT_EQ(out[0].created_at, "2026-11-26T10:00:00Z");
  EXPECT_EQ(Versions()["some-slug"], 1);
}

TEST_F(CommentStoreTest, ParentRoundTrips) {
  int64_t first = Add("p", "x");
  NewComment reply;
  reply.post = "p";
  reply.author = "b";
  reply.body = "re";
  reply.parent = first;
  Comment stored;
  ASSERT_TRUE(store_->Add(reply, &stored).ok());
  ASSERT_TRUE(stored.parent.has_value());
  EXPECT_EQ(*stored.parent, first);
}

TEST_F(CommentStoreTest, HostileTextIsStoredVerbatim) {
  // Bound parameters: quotes and SQL in a body are data, and so is a NUL
  // byte (the length is explicit: a literal would end the string at it).
  static const char kBody[] = "'); DROP TABLE comments; -- \xF0\x9F\x94\xA5 \0x";
  const std::string body(kBody, sizeof kBody - 1);
  ASSERT_EQ(body.back(), 'x');
  int64_t id = Add("p", body);
  std::vector<Comment> out;
  ASSERT_TRUE(store_->List("p", "", &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, id);
  EXPECT_EQ(out[0].body, body);
}

}  // namespace
}  // namespace kiln
