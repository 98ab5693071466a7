#include "init/site_init.h"

#include <fstream>

#include "init/sample_site.h"

namespace kiln {

Status InitSite(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return Status::Invalid("folder exists and is not empty; choose a new or empty folder", dir.string());
  }
  for (const EmbeddedFile& file : SampleSiteFiles()) {
    std::filesystem::path path = dir / file.path;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return Status::Io("cannot create folder: " + ec.message(), path.parent_path().string());
    std::ofstream out(path, std::ios::binary);
    out.write(file.bytes.data(), static_cast<std::streamsize>(file.bytes.size()));
    if (!out) return Status::Io("cannot write", path.string());
  }
  return Status::Ok();
}

}  // namespace kiln
