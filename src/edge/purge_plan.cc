#include "edge/purge_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "edge/cache_tags.h"
#include "engine/build.h"

namespace kiln {
namespace {

std::vector<std::string> SplitCacheTags(const std::string& joined) {
  std::vector<std::string> tags;
  size_t pos = 0;
  while (pos < joined.size()) {
    size_t space = joined.find(' ', pos);
    if (space == std::string::npos) space = joined.size();
    if (space > pos) tags.push_back(joined.substr(pos, space - pos));
    pos = space + 1;
  }
  return tags;
}

}  // namespace

PurgeTarget PurgeTargetOf(const BuildReport& report, const std::string& path_prefix) {
  PurgeTarget target;
  for (const auto* list : {&report.written, &report.removed}) {
    for (const auto& output : *list) target.paths.push_back(UrlPathOf(output, path_prefix));
  }
  return target;
}

PurgeTarget PurgeTargetByTag(const BuildReport& report,
                             const std::unordered_map<std::string, std::string>& cached,
                             const std::string& path_prefix) {
  std::set<std::string> changed(report.written.begin(), report.written.end());
  changed.insert(report.removed.begin(), report.removed.end());
  // Each tag -> the cached outputs it reaches; a tag that reaches an
  // unchanged output is out.
  std::map<std::string, std::vector<std::string>> reach;
  std::set<std::string> unusable;
  for (const auto& [output, joined] : cached) {
    const bool is_changed = changed.count(output) > 0;
    for (auto& tag : SplitCacheTags(joined)) {
      if (!is_changed) {
        unusable.insert(tag);
      } else if (!unusable.count(tag)) {
        reach[tag].push_back(output);
      }
    }
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> candidates;
  for (auto& [tag, outputs] : reach) {
    if (!unusable.count(tag) && outputs.size() >= 2) candidates.emplace_back(tag, std::move(outputs));
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  PurgeTarget target;
  std::set<std::string> covered;
  for (const auto& [tag, outputs] : candidates) {
    size_t fresh = std::count_if(outputs.begin(), outputs.end(),
                                 [&](const std::string& o) { return !covered.count(o); });
    if (fresh < 2) continue;
    target.tags.push_back(tag);
    covered.insert(outputs.begin(), outputs.end());
  }
  for (const auto& output : changed) {
    if (!covered.count(output)) target.paths.push_back(UrlPathOf(output, path_prefix));
  }
  return target;
}

}  // namespace kiln
