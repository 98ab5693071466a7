#include "engine/quick_check.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/build_state.h"
#include "store/comment_changes.h"

namespace kiln {

Status SnapshotInputs(const std::filesystem::path& root, int64_t observed_ns,
                      std::vector<Manifest::Input>* out, bool* complete) {
  out->clear();
  *complete = true;
  std::vector<std::string> rels{"kiln.toml"};
  for (const char* dir : {"content", "static", "templates"}) {
    std::vector<std::string> files;
    KILN_RETURN_IF_ERROR(ListFilesRecursive(root / dir, &files));
    for (auto& f : files) rels.push_back(std::string(dir) + "/" + f);
  }
  out->reserve(rels.size());
  for (auto& rel : rels) {
    Manifest::Input in;
    KILN_RETURN_IF_ERROR(StatFile(root / rel, &in.stat));
    if (!in.stat.TrustedAfter(observed_ns)) *complete = false;
    in.path = std::move(rel);
    out->push_back(std::move(in));
  }
  return Status::Ok();
}

namespace {

// The saved state must be the one the manifest describes: of this version,
// and with no build stopped half-way through writing.
bool StateIsSettled(SQLite::Database* db) {
  try {
    SQLite::Statement q(*db, "SELECT key, value FROM state_meta WHERE key IN ('version', 'writing')");
    bool version_ok = false;
    while (q.executeStep()) {
      if (q.getColumn(0).getString() == "writing") return false;
      version_ok = q.getColumn(1).getString() == std::to_string(kStateVersion);
    }
    return version_ok;
  } catch (const SQLite::Exception&) {
    return false;  // no state table yet: not settled
  }
}

}  // namespace

Status CheckUnchanged(const std::filesystem::path& root, SQLite::Database* db,
                      const Manifest& manifest, const std::vector<Manifest::Input>& inputs,
                      bool inputs_complete, int64_t now_seconds, Verdict* verdict, std::string* why) {
  *verdict = Verdict::kChanged;
  if (manifest.state_version != kStateVersion || !StateIsSettled(db)) {
    *why = "build state not settled";
    return Status::Ok();
  }
  if (!manifest.inputs_complete || !inputs_complete) {
    *why = "an input file was modified within the last second";
    return Status::Ok();
  }
  if (now_seconds >= manifest.next_due) {
    *why = "a scheduled post came due";
    return Status::Ok();
  }
  if (inputs != manifest.inputs) {
    *why = "input files changed";
    return Status::Ok();
  }
  const std::filesystem::path site = root / "site";
  for (const std::string& out : manifest.outputs) {
    FileStat st;
    KILN_RETURN_IF_ERROR(StatFile(site / out, &st));
    if (!st.exists()) {
      *why = "output file missing: " + out;
      return Status::Ok();
    }
  }
  int64_t seq;
  KILN_RETURN_IF_ERROR(ReadCommentSeq(db, &seq));
  if (seq != manifest.comment_seq) {
    *why = "comments changed";
    *verdict = Verdict::kCommentsOnly;
    return Status::Ok();
  }
  *verdict = Verdict::kUnchanged;
  return Status::Ok();
}

}  // namespace kiln
