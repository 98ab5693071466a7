// BuildReportToJson (declared in engine/build.h): the --json report.
#include <nlohmann/json.hpp>

#include "engine/build.h"

namespace kiln {

std::string BuildReportToJson(const BuildReport& report) {
  // Key order as SPEC.md lists it; nlohmann::ordered_json keeps insertion order.
  nlohmann::ordered_json j;
  j["pages"] = report.pages;
  j["rendered"] = report.rendered;
  j["written"] = report.written;
  j["removed"] = report.removed;
  j["unchanged"] = report.unchanged;
  j["duration_ms"] = std::round(report.duration_ms * 10) / 10;
  j["full"] = report.full;
  j["path"] = report.path;
  if (report.snapshot) j["snapshot"] = true;
  if (!report.notes.empty()) j["notes"] = report.notes;
  if (!report.explanations.empty()) j["explain"] = report.explanations;
  return j.dump();
}

}  // namespace kiln
