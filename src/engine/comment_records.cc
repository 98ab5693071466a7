#include "engine/comment_records.h"

#include "store/comment_store.h"
#include "util/hash.h"

namespace kiln {
namespace {

// Exactly the fields a post page shows; a pending comment, an email change
// or a moderation note changes nothing a reader sees. `parent` places a
// reply; with the ids of the post's published comments (also hashed) it
// decides the whole arrangement (render/comment_threads.h), so a parent
// deleted or hidden changes the hash through its missing id.
CommentRecord RecordOf(const std::vector<Comment>& comments, int64_t version) {
  Hasher h;
  for (const auto& c : comments) h.Add(c.id).Add(c.author).Add(c.body).Add(c.created_at).Add(c.parent.value_or(0));
  return CommentRecord{version, comments.empty() ? 0 : h.Finish(), static_cast<int64_t>(comments.size())};
}

Status ReadRecord(CommentStore* store, const std::string& post, int64_t version, CommentRecord* out,
                  std::vector<Comment>* read = nullptr) {
  std::vector<Comment> comments;
  KILN_RETURN_IF_ERROR(store->ReadPublished(post, &comments));
  *out = RecordOf(comments, version);
  if (read) *read = std::move(comments);
  return Status::Ok();
}

}  // namespace

Status RefreshCommentRecords(CommentStore* store, const std::map<std::string, CommentRecord>& old,
                             bool force, std::map<std::string, CommentRecord>* out,
                             std::map<std::string, std::vector<Comment>>* read, bool* read_all) {
  std::map<std::string, int64_t> versions;
  KILN_RETURN_IF_ERROR(store->ReadVersions(&versions));
  out->clear();
  std::vector<std::pair<const std::string*, int64_t>> stale;
  for (const auto& [post, version] : versions) {
    auto it = old.find(post);
    if (!force && it != old.end() && it->second.version == version) {
      (*out)[post] = it->second;
    } else {
      stale.emplace_back(&post, version);
    }
  }
  if (stale.size() < kScanAllCommentsFrom) {
    for (const auto& [post, version] : stale) KILN_RETURN_IF_ERROR(ReadRecord(store, *post, version, &(*out)[*post]));
    return Status::Ok();
  }
  std::map<std::string, std::vector<Comment>> all;
  KILN_RETURN_IF_ERROR(store->ReadAllShown(&all));
  static const std::vector<Comment> kNone;
  for (const auto& [post, version] : stale) {
    auto found = all.find(*post);
    (*out)[*post] = RecordOf(found == all.end() ? kNone : found->second, version);
  }
  if (read) {
    *read = std::move(all);
    if (read_all) *read_all = true;
  }
  return Status::Ok();
}

Status RefreshCommentRecordsOf(CommentStore* store, const std::vector<std::string>& posts,
                               std::map<std::string, CommentRecord>* records,
                               std::map<std::string, CommentRecord>* old,
                               std::map<std::string, std::vector<Comment>>* read) {
  old->clear();
  std::map<std::string, int64_t> versions;
  KILN_RETURN_IF_ERROR(store->ReadVersionsOf(posts, &versions));
  for (const std::string& post : posts) {
    auto it = records->find(post);
    if (it != records->end()) (*old)[post] = it->second;
    auto version = versions.find(post);
    if (version == versions.end()) {  // no row: as RefreshCommentRecords, no record
      if (it != records->end()) records->erase(it);
      continue;
    }
    KILN_RETURN_IF_ERROR(ReadRecord(store, post, version->second, &(*records)[post],
                                    read ? &(*read)[post] : nullptr));
  }
  return Status::Ok();
}

}  // namespace kiln
