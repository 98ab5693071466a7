// The manifest: a compact summary of what the last build saw, enough to
// prove that nothing changed without loading the build state (issue 6,
// "a build with nothing changed stops right after finding that out").
//
// It holds a digest of every input file's stat, the last comment change
// consumed, the earliest date at which a scheduled post comes due, the
// output files (whose presence is checked, so a file deleted by hand is
// restored), and the figures a no-op build reports. It is a cache of the
// build state, kept as one BLOB in kiln.db (table state_manifest) with a
// checksum: a missing, damaged or foreign manifest only means the normal
// incremental path runs.
// The format is described in docs/store-format.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

struct Manifest {
  int64_t state_version = 0;  // kStateVersion of the build that wrote it
  // The last comment_changes.seq the build had read. Kept outside the blob
  // (state_meta), so a build that only consumed comments updates one row
  // instead of rewriting the whole manifest: EncodeManifest leaves it out.
  int64_t comment_seq = 0;
  int64_t next_due = 0;       // earliest date (UTC s) of a scheduled post; INT64_MAX: none
  // Every input file's path and stat, as one hash in walk order, and how
  // many there were (engine/quick_check.h, InputWalk). Only the no-op check
  // reads them, to ask whether anything differs, never which file: the list
  // itself (4,000 paths and stats at 4,000 posts) was 44 % of the
  // manifest's bytes (887,195 -> 495,414) and a no-op decoded it before it
  // could start checking the outputs.
  uint64_t inputs_digest = 0;
  int64_t input_count = 0;
  bool inputs_complete = true;  // false: a file was too fresh to trust its stat
  std::vector<std::string> outputs;          // files under site/
  std::vector<std::string> published_posts;  // slugs, sorted
  std::map<std::string, int64_t> pages_by_kind;  // "home", "post", … (build_history kinds)
  int64_t pages = 0;

  bool operator==(const Manifest&) const = default;
};

std::string EncodeManifest(const Manifest& manifest);
// False when `bytes` is not a manifest of this format (truncated, damaged).
bool DecodeManifest(std::string_view bytes, Manifest* out);
// The checksum an encoded manifest ends with (the XXH3 of the rest), which
// identifies it: ManifestChecksum(EncodeManifest(m)) for the manifest `m`.
uint64_t ManifestChecksum(std::string_view encoded);

// Loads the stored manifest; `*found` is false when there is none or it does
// not decode. Errors only when the database cannot be read. `*stored_hash`,
// when given, receives the stored manifest's checksum (ManifestChecksum),
// without encoding it again.
Status LoadManifest(SQLite::Database* db, Manifest* out, bool* found, uint64_t* stored_hash = nullptr);
// Saves the blob and the comment seq. Call after SaveBuildState, which
// recreates state_meta when it starts over.
Status SaveManifest(SQLite::Database* db, const Manifest& manifest);
// For a build that changed nothing in the manifest but the comment seq.
Status SaveManifestCommentSeq(SQLite::Database* db, int64_t comment_seq);

}  // namespace kiln
