// The only code that changes files under site/ (STYLE.md, "One choke point
// per side effect"). Every write goes to a temporary file and is renamed over
// the target, so a reader or a crash sees either the old file or the new
// one, never a partial one (SPEC.md invariant 3). Temporary files live in
// SITE_ROOT/.kiln/tmp/, outside site/, so that even a build killed mid-write
// leaves nothing partial in site/; when that folder is on another
// filesystem than site/ (rename fails with EXDEV) the temporary file goes
// beside the target instead, under a dot-name.
//
// A file that does not exist yet is written as an unnamed file in its own
// folder (O_TMPFILE) and given its name (linkat) once whole: nothing
// partial is ever seen or left either. A full build into an empty site/
// writes every page so; through the temporary folder, every page was
// created in that one folder and renamed across folders, and the two
// rendering threads waited for each other's locks on it (a sixth of a full
// build's time was the kernel's rwsem_spin_on_owner at 4,000 posts, perf),
// while its inodes came from a block group full of the recently deleted
// temporary files, which ext4 scans past one by one.
//
// A file that replaces another is exchanged with it (renameat2
// RENAME_EXCHANGE, atomic like a rename), and a removed page is moved into
// the temporary folder: the old file is then *retired*, not deleted, and
// the caller deletes it later (TakeRetired, output/file_janitor.h). Freeing
// an old file's blocks is what a replacing rename waited for on the disk
// (1 to 3.5 ms a file on the 2-core test machine, against 0.03 ms for the
// exchange). Where the temporary folder is beside the targets, or the
// filesystem cannot exchange, old files are deleted at once as before.
#pragma once

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace kiln {

// Write and Remove may be called from several threads at once for
// different paths (the build writes pages from its rendering threads).
class SiteWriter {
 public:
  // `temp_dir` is created on first use.
  SiteWriter(std::filesystem::path site_dir, std::filesystem::path temp_dir);

  // Makes site/REL hold `bytes`. Does not touch a file that already holds
  // them (`*changed` false), so its mtime and ETag stay put.
  Status Write(const std::string& rel, std::string_view bytes, bool* changed);

  // Deletes site/REL if present and the folders it leaves empty.
  Status Remove(const std::string& rel, bool* removed);

  // Deletes the temporary files a killed build left in the temp folder.
  Status RemoveTempFiles(int* count);

  // The old files retired since the last call, for the caller to delete.
  std::vector<std::filesystem::path> TakeRetired();

  static constexpr std::string_view kTempSuffix = ".kiln-tmp";

 private:
  enum class NewFile { kWritten, kNotWritten, kFailed };
  // Writes a target that does not exist as an unnamed file linked in
  // place; kNotWritten: unsupported here, or the name was taken meanwhile,
  // so the caller writes it the other way.
  NewFile WriteNew(const std::filesystem::path& target, std::string_view bytes, Status* error);
  Status WriteTemp(const std::filesystem::path& temp, std::string_view bytes);
  // All of `bytes` to `fd`, or half of them and a SIGKILL at the test's
  // chosen write.
  Status WriteContent(int fd, std::string_view bytes, const std::string& name);
  // Moves `temp` over `target`; when a file was there, it is left at
  // `temp` (retired) and *retired set, else deleted or never existed.
  bool ReplaceWith(const std::filesystem::path& temp, const std::filesystem::path& target,
                   bool* retired);
  std::filesystem::path UniqueTempName(const std::string& rel) const;

  std::filesystem::path site_dir_;
  std::filesystem::path temp_dir_;
  std::atomic<bool> temp_beside_target_{false};  // set after an EXDEV
  std::atomic<bool> cannot_exchange_{false};     // set after an EINVAL from renameat2
  std::atomic<bool> no_unnamed_files_{false};    // set after O_TMPFILE or /proc failed
  std::mutex retired_mutex_;
  std::vector<std::filesystem::path> retired_;
  // Used for tests: KILN_TEST_CRASH_AFTER_WRITES=N kills the process with
  // SIGKILL right after the Nth rename; "N.5" kills it halfway through
  // writing the temporary file of the (N+1)th write to start.
  long crash_after_ = -1;
  bool crash_mid_write_ = false;
  std::atomic<long> writes_{0};          // finished
  std::atomic<long> started_writes_{0};  // started (counted for "N.5" only)
};

}  // namespace kiln
