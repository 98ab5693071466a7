// The only code that changes files under site/ (STYLE.md, "One choke point
// per side effect"). Every write goes to a temporary file in the target's
// folder and is renamed over the target, so a reader or a crash sees either
// the old file or the new one, never a partial one (SPEC.md invariant 3).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "util/status.h"

namespace kiln {

class SiteWriter {
 public:
  explicit SiteWriter(std::filesystem::path site_dir);

  // Makes site/REL hold `bytes`. Does not touch a file that already holds
  // them (`*changed` false), so its mtime and ETag stay put.
  Status Write(const std::string& rel, std::string_view bytes, bool* changed);

  // Deletes site/REL if present and the folders it leaves empty.
  Status Remove(const std::string& rel, bool* removed);

  // Deletes temporary files a killed build left behind. Walks all of site/,
  // so it runs only after an interrupted build.
  Status RemoveTempFiles(int* count);

  static constexpr std::string_view kTempSuffix = ".kiln-tmp";

 private:
  std::filesystem::path site_dir_;
  // Used for tests: KILN_TEST_CRASH_AFTER_WRITES=N kills the process with
  // SIGKILL right after the Nth rename; "N.5" kills it halfway through
  // writing the temporary file of the (N+1)th write.
  long crash_after_ = -1;
  bool crash_mid_write_ = false;
  long writes_ = 0;
};

}  // namespace kiln
