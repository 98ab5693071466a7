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
//     same stat, and none was added or removed (one digest of them all);
//   - no comment changed: the largest comment_changes.seq is the one the
//     last build read;
//   - no scheduled post came due: now is before the manifest's next_due;
//   - every output file still exists (a file deleted by hand is restored).
// When only the comment log differs, the verdict is kCommentsOnly: the build
// then decides on just the pages that show the changed posts' comments or
// counts (store/comment_deps.h). Anything else takes the normal incremental
// path, which decides on every page.
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/manifest.h"
#include "util/fs.h"
#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

// What a walk of the input files saw: how many, and one hash of each one's
// path and stat in walk order (Manifest::inputs_digest). Files modified
// less than a second before the walk are racily clean (util/fs.h):
// `complete` is then false, so a manifest made from this walk never proves
// a no-op.
struct InputWalk {
  uint64_t digest = 0;
  int64_t count = 0;
  bool complete = true;
};

// The files of a walk, in walk order, when a build may need to know which
// of them changed (the edit path of engine/build.cc): the manifest keeps
// only the digest of their stats.
struct WalkedFiles {
  std::string paths;            // each path relative to the site root, then a NUL
  std::vector<FileStat> stats;  // the stat of each, in the same order

  // The digest the walk would have had with the stats of `replaced`
  // (path -> stat) in place of those it saw. Equal to the last manifest's
  // digest, it proves that the files differ from the last build's in those
  // stats alone: none added, removed, renamed, or changed but these.
  uint64_t DigestWith(const std::map<std::string_view, FileStat>& replaced) const;
};

// Stats every input file (kiln.toml, content/, static/, templates/); lists
// them in `files` too unless it is null.
Status WalkInputs(const std::filesystem::path& root, int64_t observed_ns, InputWalk* out,
                  WalkedFiles* files = nullptr);

enum class Verdict {
  kUnchanged,     // nothing to do
  kCommentsOnly,  // only comments changed since manifest.comment_seq
  kChanged,       // anything else: the normal incremental path
};

// Checks that every output of the last build still exists (paths relative
// to root/site), on every thread that calls Help(). Both path lookups in
// the kernel, the stat of the inputs and this check were 70% of a no-op
// build's time (perf, 4,000 posts); the build's second thread walks the
// inputs and then helps here, while the first loads the manifest and then
// helps too, so the two cores finish together.
class OutputPresenceCheck {
 public:
  explicit OutputPresenceCheck(std::filesystem::path root);

  // Gives the outputs to check, or nullptr when there is no manifest; wakes
  // the threads waiting in Help(). Only the first call counts.
  void Publish(const std::vector<std::string>* outputs);

  // Waits for Publish, then stats outputs until none is left to take or one
  // is found missing. Throws nothing: a failure counts as a missing output.
  void Help();

  // After every Help() has returned: a missing output (any one, when the
  // threads found several), or "" when all exist.
  std::string missing() const;

 private:
  void CheckBatches();

  const std::filesystem::path root_;
  mutable std::mutex mu_;
  std::condition_variable published_cv_;
  bool published_ = false;
  const std::vector<std::string>* outputs_ = nullptr;
  std::atomic<size_t> next_{0};
  std::atomic<bool> found_missing_{false};
  std::string missing_;
};

// The first of `outputs` that does not exist, or "" when all do: the check
// above on the calling thread alone.
std::string FindMissingOutput(const std::filesystem::path& root, const std::vector<std::string>& outputs);

// Compares (see above); `missing_output` is OutputPresenceCheck's answer
// for manifest.outputs, `comment_seq` the comment log's last seq as read
// before any comment is (ReadCommentSeq). `*why` says what differs, for
// tests and logs.
Status CheckUnchanged(SQLite::Database* db, const Manifest& manifest, const InputWalk& inputs,
                      const std::string& missing_output, int64_t comment_seq, int64_t now_seconds,
                      Verdict* verdict, std::string* why);

}  // namespace kiln
