#include "edge/purge_plan.h"

#include "edge/cache_tags.h"
#include "engine/build.h"

namespace kiln {

PurgeTarget PurgeTargetOf(const BuildReport& report, const std::string& path_prefix) {
  PurgeTarget target;
  for (const auto* list : {&report.written, &report.removed}) {
    for (const auto& output : *list) target.paths.push_back(UrlPathOf(output, path_prefix));
  }
  return target;
}

}  // namespace kiln
