// The comments table of kiln.db (SPEC.md, "Comments"). Other programs write
// to it with plain SQL; triggers keep comment_versions(post, version) bumped
// on every INSERT, UPDATE and DELETE, so a build finds the posts whose
// comments changed with one small query instead of reading every comment.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace SQLite {
class Database;
class Statement;
}

namespace kiln {

struct Comment {
  int64_t id = 0;
  std::string post;
  std::string author;
  std::string email;
  std::string body;  // markdown, untrusted
  std::string created_at;   // ISO 8601 UTC
  std::string modified_at;  // ISO 8601 UTC
  std::string status;       // published | pending | spam
  std::optional<int64_t> parent;
};

struct NewComment {
  std::string post;
  std::string author;
  std::string email;
  std::string body;
  std::string status = "published";
  std::string client_addr;  // recorded for moderation; never shown
  std::optional<int64_t> parent;
};

// Holds no state of its own: its statements are kept, where they are, by the
// connection (store/statement_cache.h). Several stores, on several threads,
// may share one connection.
class CommentStore {
 public:
  // `db` must outlive the store and have the schema (see store/database.h).
  explicit CommentStore(SQLite::Database* db);

  // Stores `comment` with created_at = now; fills `stored` when non-null.
  // A comment with a `parent` must answer a published comment of the same
  // post (SPEC.md, "Comments"): Invalid otherwise, and nothing stored.
  // Plain SQL is not held to this; rendering copes with any parent
  // (render/comment_threads.h).
  Status Add(const NewComment& comment, Comment* stored);

  // Ok when `parent` is a published comment of `post`; Invalid, with a
  // message for people, when not.
  Status CheckParent(const std::string& post, int64_t parent);

  // All comments, optionally of one post and/or one status, oldest first.
  Status List(const std::string& post, const std::string& status, std::vector<Comment>* out);

  // NotFound when no comment has `id`.
  Status SetStatus(int64_t id, const std::string& status);
  Status Delete(int64_t id);

  // Published comments of `post`, in display order (created_at, id).
  Status ReadPublished(const std::string& post, std::vector<Comment>* out);
  // Every published comment, by post, each post's in display order: one
  // ordered scan, for a build that needs them all (a query per post made
  // two per post in a full build: the record, then the page). Only the
  // fields a page shows are read: id, author, body, created_at and parent
  // (status is "published"; post, which is the map's key, email and
  // modified_at are left empty). Held for every post at once, the rest
  // were a fifth of the comments' memory (500,000 comments: 290 MB).
  Status ReadAllShown(std::map<std::string, std::vector<Comment>>* out);

  // post -> version, for every post that ever had a comment.
  Status ReadVersions(std::map<std::string, int64_t>* out);
  // The version of each of `posts` that has one (a post never commented has none).
  Status ReadVersionsOf(const std::vector<std::string>& posts, std::map<std::string, int64_t>* out);

 private:
  SQLite::Database* db_;
};

}  // namespace kiln
