#include "engine/reference_build.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <stdlib.h>

#include <fstream>
#include <sstream>

#include "kiln_process.h"

namespace kiln::testing {
namespace {

namespace fs = std::filesystem;

// Removes the folder when the reference is done with it, whatever happens.
struct ScratchDir {
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "kiln-reference-XXXXXX").string();
    if (::mkdtemp(pattern.data())) path = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
  fs::path path;
};

// The comments, row for row, ids included (pages show them), through the
// public table only: the columns both databases have, so the copy does not
// depend on anything but the `comments` contract of SPEC.md.
void CopyComments(const fs::path& from, const fs::path& to) {
  SQLite::Database db(to.string(), SQLite::OPEN_READWRITE);
  db.setBusyTimeout(10000);
  std::string columns;
  SQLite::Statement info(db, "SELECT name FROM pragma_table_info('comments') ORDER BY cid");
  while (info.executeStep()) columns += (columns.empty() ? "" : ", ") + info.getColumn(0).getString();
  SQLite::Statement attach(db, "ATTACH DATABASE ? AS source");
  attach.bind(1, from.string());
  attach.exec();
  db.exec("INSERT INTO comments(" + columns + ") SELECT " + columns + " FROM source.comments ORDER BY id");
  db.exec("DETACH DATABASE source");
}

}  // namespace

std::map<std::string, std::string> ReadSiteTree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    out[fs::relative(entry.path(), dir).generic_string()] = bytes.str();
  }
  return out;
}

std::string BuildReferenceFromScratch(const fs::path& site_root, const std::string& now_iso,
                                      std::map<std::string, std::string>* files) {
  ScratchDir fresh;
  if (fresh.path.empty()) return "cannot make a temporary folder";
  try {
    for (const char* dir : {"content", "templates", "static"}) {
      if (fs::exists(site_root / dir)) fs::copy(site_root / dir, fresh.path / dir, fs::copy_options::recursive);
    }
    fs::copy_file(site_root / "kiln.toml", fresh.path / "kiln.toml");
  } catch (const fs::filesystem_error& e) {
    return std::string("copying the inputs: ") + e.what();
  }
  const std::vector<std::string> env = {"KILN_NOW=" + now_iso};
  const std::string binary = ReferenceKilnBinary();
  const std::string site = fresh.path.string();
  if (fs::exists(site_root / "kiln.db")) {
    // Any command that opens the store creates it with kiln's schema.
    ProcessResult made = RunKiln(binary, {"comment", "list", "--site", site}, env);
    if (made.exit_code != 0) return "kiln comment list (to create kiln.db) failed: " + made.err;
    try {
      CopyComments(site_root / "kiln.db", fresh.path / "kiln.db");
    } catch (const SQLite::Exception& e) {
      return std::string("copying the comments: ") + e.what();
    }
  }
  ProcessResult build = RunKiln(binary, {"build", "--full", "--site", site}, env);
  if (build.exit_code != 0) return "reference `kiln build --full` failed: " + build.err;
  *files = ReadSiteTree(fresh.path / "site");
  return "";
}

}  // namespace kiln::testing
