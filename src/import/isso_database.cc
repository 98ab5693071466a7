#include "import/isso_database.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cmath>
#include <system_error>

#include "util/time_format.h"

namespace kiln {
namespace {

// Implementation details: columns are read by name through one SELECT each,
// so a database of another Isso version with extra columns (notification)
// still reads; a missing one fails the prepare with SQLite's message.

std::string TextOrEmpty(const SQLite::Column& column) { return column.isNull() ? "" : column.getString(); }

bool ToStatus(int mode, ForeignStatus* out) {
  switch (mode) {
    case 1: *out = ForeignStatus::kPublished; return true;
    case 2: *out = ForeignStatus::kPending; return true;
    case 4: *out = ForeignStatus::kDeleted; return true;
    default: return false;
  }
}

// Isso's REAL seconds to ISO 8601 UTC; false for NaN or out of range.
bool ToDate(const SQLite::Column& column, std::string* out) {
  if (column.isNull()) return false;
  const double seconds = column.getDouble();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 253402300799.0) return false;  // year 9999
  *out = FormatRfc3339(static_cast<int64_t>(seconds));
  return true;
}

void ReadThreads(SQLite::Database& db, ForeignComments* out) {
  SQLite::Statement q(db, "SELECT id, uri, title FROM threads ORDER BY id");
  while (q.executeStep()) {
    out->threads.push_back({q.getColumn(0).getString(), TextOrEmpty(q.getColumn(1)), TextOrEmpty(q.getColumn(2))});
  }
}

Status ReadComments(SQLite::Database& db, const std::string& file, ForeignComments* out) {
  SQLite::Statement q(db,
                      "SELECT id, tid, parent, created, modified, mode, text, author, email "
                      "FROM comments ORDER BY created, id");
  while (q.executeStep()) {
    ForeignComment c;
    c.id = q.getColumn(0).getString();
    c.thread_id = TextOrEmpty(q.getColumn(1));
    c.parent_id = TextOrEmpty(q.getColumn(2));
    const std::string where = "comment " + c.id + ": ";
    if (!ToDate(q.getColumn(3), &c.created_at)) return Status::Invalid(where + "bad `created`", file);
    if (!q.getColumn(4).isNull() && !ToDate(q.getColumn(4), &c.modified_at)) {
      return Status::Invalid(where + "bad `modified`", file);
    }
    if (!ToStatus(q.getColumn(5).getInt(), &c.status)) {
      return Status::Invalid(where + "unknown mode " + q.getColumn(5).getString() +
                                 " (Isso writes 1 accepted, 2 pending, 4 deleted)",
                             file);
    }
    c.body = TextOrEmpty(q.getColumn(6));
    c.author = TextOrEmpty(q.getColumn(7));
    c.email = TextOrEmpty(q.getColumn(8));
    out->comments.push_back(std::move(c));
  }
  return Status::Ok();
}

}  // namespace

Status ReadIssoDatabase(const std::filesystem::path& file, ForeignComments* out) {
  *out = ForeignComments{};
  out->source = "isso";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return Status::NotFound("no such file", file.string());
  try {
    SQLite::Database db(file.string(), SQLite::OPEN_READONLY);
    ReadThreads(db, out);
    return ReadComments(db, file.string(), out);
  } catch (const SQLite::Exception& e) {
    return Status::Invalid(std::string("not an Isso database: ") + e.what(), file.string());
  }
}

}  // namespace kiln
