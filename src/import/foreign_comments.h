// Comments read from another system's export (Disqus's XML, Isso's SQLite
// database), in one shape for the importer (import/comment_importer.h).
// The readers only parse; they do not know kiln's posts or its store.
#pragma once

#include <string>
#include <vector>

namespace kiln {

// A discussion of the other system: one page of the old blog.
struct ForeignThread {
  std::string id;   // the source's id (Disqus dsq:id, Isso threads.id)
  std::string url;  // Disqus <link> (a full URL), Isso uri (a path)
  std::string title;
};

// What became of a comment in the source system.
enum class ForeignStatus {
  kPublished,
  kPending,  // held for moderation (Isso mode 2)
  kSpam,     // Disqus isSpam
  kDeleted,  // Disqus isDeleted, Isso mode 4: never imported
};

struct ForeignComment {
  std::string id;         // the source's id, unique within the source
  std::string thread_id;  // ForeignThread::id
  std::string parent_id;  // the source id of the comment it answers; empty: none
  std::string author;     // empty: the importer writes "Anonymous"
  std::string email;
  std::string body;        // markdown (Disqus HTML is converted by the reader)
  std::string created_at;  // ISO 8601 UTC, "2014-09-15T10:00:00Z"
  std::string modified_at; // ISO 8601 UTC; empty: created_at
  ForeignStatus status = ForeignStatus::kPublished;
};

struct ForeignComments {
  std::string source;  // "disqus" or "isso": the namespace of the ids
  std::vector<ForeignThread> threads;
  std::vector<ForeignComment> comments;  // in the file's order
};

}  // namespace kiln
