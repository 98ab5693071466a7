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
Status ReadRecord(CommentStore* store, const std::string& post, int64_t version, CommentRecord* out,
                  std::vector<Comment>* read = nullptr) {
  std::vector<Comment> comments;
  KILN_RETURN_IF_ERROR(store->ReadPublished(post, &comments));
  if (read) *read = comments;
  Hasher h;
  for (const auto& c : comments) h.Add(c.id).Add(c.author).Add(c.body).Add(c.created_at).Add(c.parent.value_or(0));
  *out = CommentRecord{version, comments.empty() ? 0 : h.Finish(), static_cast<int64_t>(comments.size())};
  return Status::Ok();
}

}  // namespace

Status RefreshCommentRecords(CommentStore* store, const std::map<std::string, CommentRecord>& old,
                             bool force, std::map<std::string, CommentRecord>* out) {
  std::map<std::string, int64_t> versions;
  KILN_RETURN_IF_ERROR(store->ReadVersions(&versions));
  out->clear();
  for (const auto& [post, version] : versions) {
    auto it = old.find(post);
    if (!force && it != old.end() && it->second.version == version) {
      (*out)[post] = it->second;
      continue;
    }
    KILN_RETURN_IF_ERROR(ReadRecord(store, post, version, &(*out)[post]));
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
