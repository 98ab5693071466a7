// Helpers of the import tests: the Isso fixture loaded into a real SQLite
// file, as Isso would have left it.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <string>

#include "unit_test_util.h"

namespace kiln::testing {

inline std::string FixturePath(const std::string& name) {
  return std::string(KILN_SOURCE_DIR) + "/tests/fixtures/import/" + name;
}

// tests/fixtures/import/isso_comments.sql run into a new database at `path`.
inline void MakeIssoDatabase(const std::filesystem::path& path) {
  SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec(unit::ReadFileOrEmpty(FixturePath("isso_comments.sql")));
}

}  // namespace kiln::testing
