// The purges one build needs (SPEC.md, "The edge": "PURGE for each written
// or removed URL path").
#pragma once

#include <string>

#include "edge/purger.h"

namespace kiln {

struct BuildReport;

// The URL path (under `path_prefix`, base_url's path) of every output the
// build wrote or removed. Empty when the build changed no file.
PurgeTarget PurgeTargetOf(const BuildReport& report, const std::string& path_prefix);

}  // namespace kiln
