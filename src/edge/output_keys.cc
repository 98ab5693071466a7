#include "edge/output_keys.h"

#include <SQLiteCpp/Database.h>

#include "store/build_state.h"
#include "store/database.h"

namespace kiln {

Status LoadOutputKeys(const std::filesystem::path& site_root,
                      std::map<std::string, std::vector<std::string>>* out) {
  out->clear();
  std::unique_ptr<SQLite::Database> db;
  KILN_RETURN_IF_ERROR(OpenDatabase(site_root / "kiln.db", &db));
  BuildState state;
  KILN_RETURN_IF_ERROR(LoadBuildState(db.get(), &state));
  if (!state.invalid_reason.empty()) return Status::Ok();
  for (const auto& [url, record] : state.pages) {
    auto& keys = (*out)[record.output];
    for (const auto& dep : record.deps) keys.push_back(dep.first);
  }
  return Status::Ok();
}

}  // namespace kiln
