#include "engine/comment_records.h"

#include "store/comment_store.h"
#include "util/hash.h"

namespace kiln {

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
    std::vector<Comment> comments;
    KILN_RETURN_IF_ERROR(store->ReadPublished(post, &comments));
    // Exactly the fields a post page shows; a pending comment, an email
    // change or a moderation note changes nothing a reader sees.
    Hasher h;
    for (const auto& c : comments) h.Add(c.id).Add(c.author).Add(c.body).Add(c.created_at);
    (*out)[post] = CommentRecord{version, comments.empty() ? 0 : h.Finish(),
                                 static_cast<int64_t>(comments.size())};
  }
  return Status::Ok();
}

}  // namespace kiln
