#include "import/comment_importer.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>

namespace kiln {
namespace {

// Implementation details: comments are stored oldest first, and a reply
// only after its parent, so that the parent's kiln id is known when the
// reply is inserted (no second UPDATE, which would log a second change).
// The walk up to unstored ancestors is a loop, not recursion: a hostile
// file may chain a million replies. A cycle of parents ends the walk; the
// comment found in the cycle is then stored top-level.

const char* StatusName(ForeignStatus status) {
  switch (status) {
    case ForeignStatus::kPending: return "pending";
    case ForeignStatus::kSpam: return "spam";
    default: return "published";
  }
}

class Importer {
 public:
  Importer(SQLite::Database* db, const ForeignComments& in, const std::map<std::string, std::string>& thread_posts,
           ImportSummary* summary)
      : db_(db), in_(in), thread_posts_(thread_posts), summary_(summary),
        insert_comment_(*db, "INSERT INTO comments(post, author, email, body, created_at, modified_at, status, parent) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        insert_import_(*db, "INSERT INTO comment_imports(source, source_id, comment_id) VALUES (?, ?, ?)"),
        post_of_(*db, "SELECT post FROM comments WHERE id = ?") {}

  void Run() {
    LoadEarlierImports();
    for (size_t i = 0; i < in_.comments.size(); ++i) index_.emplace(in_.comments[i].id, i);
    std::vector<size_t> order(in_.comments.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return in_.comments[a].created_at < in_.comments[b].created_at;
    });
    visited_.assign(in_.comments.size(), false);
    for (size_t i : order) StoreWithAncestors(i);
    std::set<std::string> unmatched(unmatched_urls_.begin(), unmatched_urls_.end());
    summary_->unmatched_threads.assign(unmatched.begin(), unmatched.end());
  }

 private:
  void LoadEarlierImports() {
    SQLite::Statement q(*db_, "SELECT source_id, comment_id FROM comment_imports WHERE source = ?");
    q.bind(1, in_.source);
    while (q.executeStep()) stored_.emplace(q.getColumn(0).getString(), q.getColumn(1).getInt64());
  }

  void StoreWithAncestors(size_t i) {
    std::vector<size_t> chain;
    for (std::optional<size_t> at = i; at && !visited_[*at];) {
      visited_[*at] = true;
      chain.push_back(*at);
      auto parent = index_.find(in_.comments[*at].parent_id);
      at = parent == index_.end() ? std::nullopt : std::optional<size_t>(parent->second);
    }
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) Store(in_.comments[*it]);
  }

  void Store(const ForeignComment& c) {
    if (c.status == ForeignStatus::kDeleted) {
      ++summary_->deleted;
      return;
    }
    auto thread = thread_posts_.find(c.thread_id);
    const std::string post = thread == thread_posts_.end() ? "" : thread->second;
    if (post.empty()) {
      ++summary_->unmatched_comments;
      unmatched_urls_.push_back(UrlOfThread(c.thread_id));
      return;
    }
    if (stored_.count(c.id)) {
      ++summary_->duplicates;
      return;
    }
    const std::optional<int64_t> parent = ParentOnPost(c.parent_id, post);
    insert_comment_.reset();
    insert_comment_.bind(1, post);
    insert_comment_.bind(2, c.author.empty() ? std::string("Anonymous") : c.author);
    insert_comment_.bind(3, c.email);
    insert_comment_.bind(4, c.body);
    insert_comment_.bind(5, c.created_at);
    insert_comment_.bind(6, c.modified_at.empty() ? c.created_at : c.modified_at);
    insert_comment_.bind(7, StatusName(c.status));
    if (parent) insert_comment_.bind(8, *parent); else insert_comment_.bind(8);
    insert_comment_.exec();
    const int64_t id = db_->getLastInsertRowid();
    insert_import_.reset();
    insert_import_.bind(1, in_.source);
    insert_import_.bind(2, c.id);
    insert_import_.bind(3, id);
    insert_import_.exec();
    stored_.emplace(c.id, id);
    ++summary_->imported;
    ++summary_->per_post[post];
    ++summary_->per_status[StatusName(c.status)];
    if (parent) ++summary_->replies;
  }

  // The kiln id of the source comment `parent_id` when it is stored and
  // still on `post` (SPEC.md: a reply's parent is a comment of the same post).
  std::optional<int64_t> ParentOnPost(const std::string& parent_id, const std::string& post) {
    if (parent_id.empty()) return std::nullopt;
    auto it = stored_.find(parent_id);
    if (it == stored_.end()) return std::nullopt;
    post_of_.reset();
    post_of_.bind(1, it->second);
    if (!post_of_.executeStep() || post_of_.getColumn(0).getString() != post) return std::nullopt;
    return it->second;
  }

  std::string UrlOfThread(const std::string& id) const {
    for (const ForeignThread& t : in_.threads) {
      if (t.id == id) return t.url.empty() ? "(thread " + id + ")" : t.url;
    }
    return "(thread " + id + ", not in the file)";
  }

  SQLite::Database* db_;
  const ForeignComments& in_;
  const std::map<std::string, std::string>& thread_posts_;
  ImportSummary* summary_;
  SQLite::Statement insert_comment_;
  SQLite::Statement insert_import_;
  SQLite::Statement post_of_;
  std::unordered_map<std::string, size_t> index_;    // source id -> position in in_.comments
  std::unordered_map<std::string, int64_t> stored_;  // source id -> kiln id, this run and earlier ones
  std::vector<bool> visited_;
  std::vector<std::string> unmatched_urls_;
};

}  // namespace

Status ImportComments(SQLite::Database* db, const ForeignComments& in,
                      const std::map<std::string, std::string>& thread_posts, bool dry_run,
                      ImportSummary* summary) {
  *summary = ImportSummary{};
  try {
    SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
    Importer(db, in, thread_posts, summary).Run();
    if (!dry_run) tx.commit();  // else the destructor rolls back
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("import failed, nothing stored: ") + e.what(), db->getFilename());
  }
}

}  // namespace kiln
