// `kiln stats`: how often pages were regenerated against reused, overall and
// per kind of page, over the last builds (the monitoring this project's idea
// started from: "one in every 25 hits to the home page regenerates it").
// Once a `kiln serve` has recorded hits (store/page_hits.h), it also says
// how many hits each page got per regeneration by the server.
#pragma once

#include <filesystem>
#include <string>

#include "util/status.h"

namespace kiln {

// A table for humans, or a JSON object when `json` is set.
Status FormatStats(const std::filesystem::path& site_root, int last_builds, bool json,
                   std::string* out);

}  // namespace kiln
