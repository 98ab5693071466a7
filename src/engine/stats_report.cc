#include "engine/stats_report.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

#include "store/build_history.h"
#include "store/database.h"

namespace kiln {
namespace {

// "1 in 25" style: renders per build of that kind of page.
std::string Ratio(int64_t rendered, int64_t reused) {
  if (rendered == 0) return "never";
  char buf[32];
  std::snprintf(buf, sizeof buf, "1 in %.1f", static_cast<double>(rendered + reused) / rendered);
  return buf;
}

}  // namespace

Status FormatStats(const std::filesystem::path& root, int last_builds, bool json, std::string* out) {
  if (!std::filesystem::exists(root / "kiln.db")) {
    return Status::NotFound("no kiln.db yet: run `kiln build` first", (root / "kiln.db").string());
  }
  std::unique_ptr<SQLite::Database> db;
  KILN_RETURN_IF_ERROR(OpenDatabase(root / "kiln.db", &db));
  std::vector<BuildFigures> builds;
  KILN_RETURN_IF_ERROR(ReadRecentBuilds(db.get(), last_builds, &builds));

  std::map<std::string, KindFigures> kinds;
  KindFigures total;
  int full = 0;
  double ms = 0;
  for (const auto& b : builds) {
    full += b.full;
    ms += b.duration_ms;
    for (const auto& [kind, f] : b.kinds) {
      kinds[kind].rendered += f.rendered;
      kinds[kind].reused += f.reused;
      total.rendered += f.rendered;
      total.reused += f.reused;
    }
  }
  if (json) {
    nlohmann::ordered_json j;
    j["builds"] = builds.size();
    j["full_builds"] = full;
    j["rendered"] = total.rendered;
    j["reused"] = total.reused;
    for (const auto& [kind, f] : kinds) j["kinds"][kind] = {{"rendered", f.rendered}, {"reused", f.reused}};
    *out = j.dump() + "\n";
    return Status::Ok();
  }
  if (builds.empty()) {
    *out = "no builds recorded yet\n";
    return Status::Ok();
  }
  char line[160];
  std::snprintf(line, sizeof line, "last %zu builds (%s .. %s): %d full, %zu incremental, mean %.1f ms\n\n",
                builds.size(), builds.back().finished_at.c_str(), builds.front().finished_at.c_str(),
                full, builds.size() - full, ms / builds.size());
  *out = line;
  std::snprintf(line, sizeof line, "%-8s %10s %10s  %s\n", "kind", "rendered", "reused", "regenerated");
  *out += line;
  auto row = [&](const std::string& kind, const KindFigures& f) {
    std::snprintf(line, sizeof line, "%-8s %10lld %10lld  %s\n", kind.c_str(),
                  static_cast<long long>(f.rendered), static_cast<long long>(f.reused),
                  Ratio(f.rendered, f.reused).c_str());
    *out += line;
  };
  for (const auto& [kind, f] : kinds) row(kind, f);
  row("all", total);
  return Status::Ok();
}

}  // namespace kiln
