// `kiln init DIR`: a new site that builds as it is.
#pragma once

#include <filesystem>

#include "util/status.h"

namespace kiln {

// Writes the sample site into `dir`, creating it. Refuses a folder that
// exists and is not empty, so that nothing of the user's is overwritten.
Status InitSite(const std::filesystem::path& dir);

}  // namespace kiln
