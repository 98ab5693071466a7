// The dependency keys of every output as the last saved build recorded
// them: the same map as BuildReport::output_keys, read from the store. A
// build that finds nothing changed stops before it loads the state and
// leaves output_keys empty; a server whose first build is such a build gets
// its pages' cache tags from here.
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
