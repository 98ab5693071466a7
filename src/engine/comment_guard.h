// SPEC.md, "Comments": "kiln.db holds the only copy of the comments: a
// build never replaces built pages that show comments with pages that show
// none because kiln.db is missing or empty; it stops and says what to do."
// Issue 7: a deleted or emptied kiln.db made `kiln build` exit 0 after
// re-rendering every post without its comments.
//
// How it is detected, at no cost to a normal build: .kiln/comments-shown
// records how many published comments the pages in site/ show, written by
// each build that saved a state (the sum of its comment records, which it
// holds anyway). A build stops, while site/ holds built files, when
//   - kiln.db is missing (checked before opening it, so it is not created
//     where a backup should be restored), or
//   - kiln.db has no usable build state (it is empty, new, or not the one
//     the site was built from) and holds fewer published comments than
//     recorded: only then are comments counted.
// A kiln.db that keeps its build state is the one the site was built from,
// so comments deleted from it (by kiln or by SQL) are an edit, not a loss.
#pragma once

#include <cstdint>
#include <filesystem>

#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

// Where the count is kept, under the site root.
inline constexpr char kCommentsShownFile[] = ".kiln/comments-shown";

// Before kiln.db is opened. `allow_empty` (`--allow-empty-comments`) lets
// the build go on. Errors: Invalid naming kiln.db, with what to do.
Status CheckStoreIsThere(const std::filesystem::path& site_root, bool allow_empty);

// When the build state is missing or unusable: compares the published
// comments in `db` with the record. Errors as above.
Status CheckStoreWithoutState(const std::filesystem::path& site_root, SQLite::Database* db,
                              bool allow_empty);

// After a build saved its state: the published comments its pages show.
// Writes only when the number changed. Io if it cannot be written.
Status RecordShownComments(const std::filesystem::path& site_root, int64_t shown);

}  // namespace kiln
