// Reads an Isso comment database (a SQLite file: threads(id, uri, title)
// and comments(tid, id, parent, created, modified, mode, remote_addr, text,
// author, email, website, likes, dislikes, voters), `created` and
// `modified` in UNIX seconds as REAL) into ForeignComments. Isso stores
// text as markdown, which kiln keeps as it is. mode 1 is accepted
// (published), 2 waiting for moderation (pending), 4 deleted (kept by Isso
// only as the parent of replies; never imported). Other modes are an error.
#pragma once

#include <filesystem>

#include "import/foreign_comments.h"
#include "util/status.h"

namespace kiln {

// Opens `file` read-only (the file is never written, not even its journal
// mode). Errors name the file: not a SQLite database, tables or columns
// missing, a row with a mode or date Isso never writes.
Status ReadIssoDatabase(const std::filesystem::path& file, ForeignComments* out);

}  // namespace kiln
