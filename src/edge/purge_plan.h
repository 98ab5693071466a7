// The purges one build needs (SPEC.md, "The edge": "PURGE for each written
// or removed URL path"; issue 9: "optionally one purge per changed cache
// tag (xkey-purge) instead of per URL").
#pragma once

#include <string>
#include <unordered_map>

#include "edge/purger.h"

namespace kiln {

struct BuildReport;

// The URL path (under `path_prefix`, base_url's path) of every output the
// build wrote or removed. Empty when the build changed no file.
PurgeTarget PurgeTargetOf(const BuildReport& report, const std::string& path_prefix);

// The same purges with [edge] xkey_purge: by cache tag where one tag does
// the work of several URLs, by URL path for the rest. `cached` is what the
// cache holds: each output's xkey header as the previous build served it
// (edge/cache_tags.h). A tag is used only when every output that carries it
// in `cached` was written or removed by this build, and it reaches at least
// two of them: a tag purge never drops a page whose bytes did not change,
// and never misses a cached copy (it is matched on the tags that copy was
// stored with). Tags are chosen greedily, widest first.
PurgeTarget PurgeTargetByTag(const BuildReport& report,
                             const std::unordered_map<std::string, std::string>& cached,
                             const std::string& path_prefix);

}  // namespace kiln
