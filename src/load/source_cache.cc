#include "load/source_cache.h"

namespace kiln {

Status RefreshSource(const std::filesystem::path& root, const std::string& rel,
                     const SourceCache& old, bool force, CachedSource* out, bool* fresh,
                     std::string* bytes) {
  const std::filesystem::path path = root / rel;
  CachedSource entry;
  const int64_t observed = NowNanoseconds();
  KILN_RETURN_IF_ERROR(StatFile(path, &entry.stat));
  if (!entry.stat.exists()) return Status::NotFound("file disappeared during the build", rel);
  auto it = old.find(rel);
  if (!force && it != old.end() && it->second.stat == entry.stat &&
      it->second.stat.TrustedAfter(it->second.observed_ns)) {
    *out = it->second;
    *fresh = false;
    bytes->clear();
    return Status::Ok();
  }
  KILN_RETURN_IF_ERROR(ReadFile(path, bytes));
  entry.observed_ns = observed;
  entry.content_hash = HashBytes(*bytes);
  *out = std::move(entry);
  *fresh = true;
  return Status::Ok();
}

}  // namespace kiln
