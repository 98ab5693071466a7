// SPEC.md, "Comments": "kiln.db holds the only copy of the comments: a
// build never replaces built pages that show comments with pages that show
// none because kiln.db is missing or empty; it stops and says what to do."
// Issue 7: a deleted or emptied kiln.db made `kiln build` exit 0 after
// re-rendering every post without its comments.
//
// How it is detected, cheaply: .kiln/comments-shown records how many
// comments (of any status) kiln.db held when the last build started, the
// ones that build put in site/. A build stops when kiln.db has no build
// state (it is missing, empty, or new: no build ever finished with it) and
// holds fewer comments than recorded, while site/ holds built files.
// A kiln.db that keeps its build state is the one the site was built from,
// so comments deleted from it (by kiln or by SQL) are an edit, not a loss.
#pragma once

#include <filesystem>

#include "util/status.h"

namespace kiln {

// Where the count is kept, under the site root.
inline constexpr char kCommentsShownFile[] = ".kiln/comments-shown";

// Checks the rule above and then records the count kiln.db holds now.
// Call with the site's build lock held and before kiln.db is opened for
// writing (opening would create a missing one). `allow_empty` (the
// `--allow-empty-comments` flag) lets the build go on and forget the count.
// Errors: Invalid naming kiln.db, with what to do; Io if the count cannot
// be recorded. A kiln.db that is not a database is left to OpenDatabase.
Status GuardShownComments(const std::filesystem::path& site_root, bool allow_empty);

}  // namespace kiln
