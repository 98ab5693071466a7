// `kiln init DIR`: a new site that builds as it is.
#pragma once

#include <filesystem>
#include <string>

#include "util/status.h"

namespace kiln {

// Writes the sample site into `dir`, creating it. Refuses a folder that
// exists and is not empty, so that nothing of the user's is overwritten.
// `base_url` (checked and normalised by init/base_url.h; empty: keep the
// sample's placeholder) goes into the new kiln.toml; a bad one is refused
// before anything is written.
Status InitSite(const std::filesystem::path& dir, const std::string& base_url = "");

}  // namespace kiln
