// The no-op check (SPEC.md invariant 4, "Cheap to verify"; issue 6): before
// loading the build state, compare what the last build saw (its manifest,
// store/manifest.h) with what is there now, using only stat calls and two
// small queries. When nothing differs, the build stops: nothing is rendered,
// written, removed or saved but its line in build_history.
//
// "Nothing differs" means all of:
//   - the manifest was written by a build of this state version, and no
//     build has started writing since (MarkBuildWriting: a build killed
//     while writing leaves the state unsettled);
//   - every input file (kiln.toml, content/, templates/, static/) has the
//     same stat, and none was added or removed;
//   - no comment changed: the largest comment_changes.seq is the one the
//     last build read;
//   - no scheduled post came due: now is before the manifest's next_due;
//   - every output file still exists (a file deleted by hand is restored).
// When only the comment log differs, the verdict is kCommentsOnly: the build
// then decides on just the pages that show the changed posts' comments or
// counts (store/comment_deps.h). Anything else takes the normal incremental
// path, which decides on every page.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "store/manifest.h"
#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

// Stats every input file. Files modified less than a second before
// `observed_ns` are racily clean (util/fs.h): `*complete` is set false, so a
// manifest made from this snapshot never proves a no-op.
Status SnapshotInputs(const std::filesystem::path& root, int64_t observed_ns,
                      std::vector<Manifest::Input>* out, bool* complete);

enum class Verdict {
  kUnchanged,     // nothing to do
  kCommentsOnly,  // only comments changed since manifest.comment_seq
  kChanged,       // anything else: the normal incremental path
};

// The first of `outputs` (paths relative to root/site) that does not
// exist, or "" when all do. The build runs it on a second thread beside
// SnapshotInputs: both are path lookups in the kernel, which were 70% of a
// no-op build's time (perf, 4,000 posts).
std::string FindMissingOutput(const std::filesystem::path& root, const std::vector<std::string>& outputs);

// Compares (see above); `missing_output` is FindMissingOutput's answer for
// manifest.outputs, `comment_seq` the comment log's last seq as read before
// the stats (ReadCommentSeq). `*why` says what differs, for tests and logs.
Status CheckUnchanged(SQLite::Database* db, const Manifest& manifest,
                      const std::vector<Manifest::Input>& inputs, bool inputs_complete,
                      const std::string& missing_output, int64_t comment_seq, int64_t now_seconds,
                      Verdict* verdict, std::string* why);

}  // namespace kiln
