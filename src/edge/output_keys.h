// The dependency keys of every output as the last saved build recorded
// them, read from the store: BuildReport::output_keys for the whole site. A
// build reports only the outputs it rendered (none when nothing changed), so
// kiln serve takes every page's tags from here once, after its first build.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "util/status.h"

namespace kiln {

// Opens SITE_ROOT/kiln.db on a connection of its own. An unusable build
// state (missing, another version) gives an empty map, not an error.
Status LoadOutputKeys(const std::filesystem::path& site_root,
                      std::map<std::string, std::vector<std::string>>* out);

}  // namespace kiln
