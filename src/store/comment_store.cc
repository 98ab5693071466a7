#include "store/comment_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <ctime>
#include <string_view>

#include "store/statement_cache.h"
#include "util/time_format.h"

namespace kiln {
namespace {

// Implementation details: every SQLiteCpp call is inside a try block that
// turns SQLite::Exception into Status::Io with the database file's name.

const char* const kColumns =
    "id, post, author, email, body, created_at, modified_at, status, parent";

Comment ReadRow(SQLite::Statement& q) {
  Comment c;
  c.id = q.getColumn(0).getInt64();
  c.post = q.getColumn(1).getString();
  c.author = q.getColumn(2).getString();
  c.email = q.getColumn(3).getString();
  c.body = q.getColumn(4).getString();
  c.created_at = q.getColumn(5).getString();
  c.modified_at = q.getColumn(6).getString();
  c.status = q.getColumn(7).getString();
  if (!q.getColumn(8).isNull()) c.parent = q.getColumn(8).getInt64();
  return c;
}

Status DbError(SQLite::Database* db, const SQLite::Exception& e) {
  return Status::Io(e.what(), db->getFilename());
}

}  // namespace

CommentStore::CommentStore(SQLite::Database* db) : db_(db) {}

Status CommentStore::CheckParent(const std::string& post, int64_t parent) {
  try {
    Query q(*db_, "SELECT 1 FROM comments WHERE id = ? AND post = ? AND status = 'published'");
    q.bind(1, parent);
    q.bind(2, post);
    if (q.executeStep()) return Status::Ok();
    return Status::Invalid("comment " + std::to_string(parent) + " is not a published comment of post '" +
                           post + "': a reply must answer one");
  } catch (const SQLite::Exception& e) {
    return DbError(db_, e);
  }
}

Status CommentStore::Add(const NewComment& in, Comment* stored) {
  if (in.parent) KILN_RETURN_IF_ERROR(CheckParent(in.post, *in.parent));
  try {
    const std::string now = FormatRfc3339(static_cast<int64_t>(std::time(nullptr)));
    Query q(*db_,
            "INSERT INTO comments(post, author, email, body, created_at, modified_at, "
            "status, parent, client_addr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, in.post);
    q.bind(2, in.author);
    q.bind(3, in.email);
    q.bind(4, in.body);
    q.bind(5, now);
    q.bind(6, now);
    q.bind(7, in.status);
    if (in.parent) q.bind(8, *in.parent); else q.bind(8);
    q.bind(9, in.client_addr);
    q.exec();
    if (stored) {
      Query r(*db_, std::string("SELECT ") + kColumns + " FROM comments WHERE id = ?");
      r.bind(1, db_->getLastInsertRowid());
      if (!r.executeStep()) return Status::Io("comment vanished after insert", db_->getFilename());
      *stored = ReadRow(r.statement());
    }
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return DbError(db_, e);
  }
}

Status CommentStore::List(const std::string& post, const std::string& status,
                          std::vector<Comment>* out) {
  try {
    Query q(*db_, std::string("SELECT ") + kColumns +
                      " FROM comments WHERE (?1 = '' OR post = ?1) AND "
                      "(?2 = '' OR status = ?2) ORDER BY created_at, id");
    q.bind(1, post);
    q.bind(2, status);
    out->clear();
    while (q.executeStep()) out->push_back(ReadRow(q.statement()));
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return DbError(db_, e);
  }
}

Status CommentStore::SetStatus(int64_t id, const std::string& status) {
  if (status != "published" && status != "pending" && status != "spam") {
    return Status::Invalid("status must be published, pending or spam, not '" + status + "'");
  }
  try {
    Query q(*db_,
            "UPDATE comments SET status = ?, "
            "modified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?");
    q.bind(1, status);
    q.bind(2, id);
    if (q.exec() == 0) return Status::NotFound("no comment with id " + std::to_string(id));
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return DbError(db_, e);
  }
}

Status CommentStore::Delete(int64_t id) {
  try {
    Query q(*db_, "DELETE FROM comments WHERE id = ?");
    q.bind(1, id);
    if (q.exec() == 0) return Status::NotFound("no comment with id " + std::to_string(id));
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return DbError(db_, e);
  }
}

Status CommentStore::ReadPublished(const std::string& post, std::vector<Comment>* out) {
  try {
    // Kept on the build's connection (a StoreConnection): an incremental
    // build reads the comments of many posts with it.
    Query q(*db_,
            std::string("SELECT ") + kColumns +
                " FROM comments WHERE post = ? AND status = 'published' ORDER BY created_at, id");
    q.bind(1, post);
    out->clear();
    while (q.executeStep()) out->push_back(ReadRow(q.statement()));
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return DbError(db_, e);
  }
}

Status CommentStore::ReadAllShown(std::map<std::string, std::vector<Comment>>* out) {
  try {
    Query q(*db_,
            "SELECT post, id, author, body, created_at, parent FROM comments "
            "WHERE status = 'published' ORDER BY post, created_at, id");
    out->clear();
    std::vector<Comment>* current = nullptr;
    std::string_view current_post;  // the key of `current`, which the map holds
    while (q.executeStep()) {
      const SQLite::Column post = q.getColumn(0);
      const std::string_view slug(post.getText(), static_cast<size_t>(post.getBytes()));
      if (!current || slug != current_post) {
        // Grown by doubling, a post's list held up to twice the room its
        // comments take (500,000 comments: some 50 MB more).
        if (current) current->shrink_to_fit();
        auto it = out->try_emplace(out->end(), std::string(slug));
        current = &it->second;
        current_post = it->first;
      }
      Comment& c = current->emplace_back();
      c.id = q.getColumn(1).getInt64();
      c.author = q.getColumn(2).getString();
      c.body = q.getColumn(3).getString();
      c.created_at = q.getColumn(4).getString();
      c.status = "published";
      if (!q.getColumn(5).isNull()) c.parent = q.getColumn(5).getInt64();
    }
    if (current) current->shrink_to_fit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return DbError(db_, e);
  }
}

Status CommentStore::ReadVersions(std::map<std::string, int64_t>* out) {
  try {
    Query q(*db_, "SELECT post, version FROM comment_versions");
    out->clear();
    while (q.executeStep()) (*out)[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return DbError(db_, e);
  }
}

Status CommentStore::ReadVersionsOf(const std::vector<std::string>& posts,
                                    std::map<std::string, int64_t>* out) {
  try {
    Query q(*db_, "SELECT version FROM comment_versions WHERE post = ?");
    out->clear();
    for (const std::string& post : posts) {
      q.bind(1, post);
      if (q.executeStep()) (*out)[post] = q.getColumn(0).getInt64();
      q.reset();
    }
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return DbError(db_, e);
  }
}

}  // namespace kiln
