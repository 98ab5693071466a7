// The reverse index of comment dependencies: for each post, the pages that
// read its comments or its comment count when they were last rendered
// (dependency keys comments:SLUG and count:SLUG). A build where only
// comments changed asks it which pages to decide on, instead of loading and
// comparing the record of every page (issue 6: "a reverse index from
// dependency key to pages").
//
// Part of the build state (a cache): table state_comment_deps(post, url),
// kept in step with state_pages by the engine's Finish step.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

// URLs of the pages that show the comments or comment count of any of
// `posts`, sorted, without duplicates.
Status ReadPagesShowingComments(SQLite::Database* db, const std::vector<std::string>& posts,
                                std::vector<std::string>* urls);

// True when the index covers every page: it was reset by a build that
// rendered everything (which leaves a marker row) and kept in step since.
// An index of unknown completeness is never used to skip a page.
Status CommentIndexIsComplete(SQLite::Database* db, bool* complete);

// Brings the index in step with one build: `rendered` maps each rendered
// page's URL to the posts whose comments it read (possibly none), `removed`
// lists URLs of pages that no longer exist. `reset` (a build that rendered
// everything) first empties the index, then marks it complete. Called before
// the page records are saved: a crash in between leaves the build marked
// "writing", and the next build renders everything and resets the index.
Status UpdateCommentDeps(SQLite::Database* db, bool reset,
                         const std::map<std::string, std::vector<std::string>>& rendered,
                         const std::vector<std::string>& removed);

}  // namespace kiln
