#include "init/site_init.h"

#include <fstream>
#include <string_view>

#include "init/base_url.h"
#include "init/sample_site.h"

namespace kiln {

Status InitSite(const std::filesystem::path& dir, const std::string& base_url) {
  std::string normalized;
  if (!base_url.empty()) KILN_RETURN_IF_ERROR(NormalizeBaseUrl(base_url, &normalized));
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return Status::Invalid("folder exists and is not empty; choose a new or empty folder", dir.string());
  }
  for (const EmbeddedFile& file : SampleSiteFiles()) {
    std::filesystem::path path = dir / file.path;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return Status::Io("cannot create folder: " + ec.message(), path.parent_path().string());
    std::string bytes = file.bytes;
    if (std::string_view(file.path) == "kiln.toml" && !normalized.empty()) {
      std::string edited;
      KILN_RETURN_IF_ERROR(WithBaseUrl(bytes, normalized, &edited));
      bytes = std::move(edited);
    }
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status::Io("cannot write", path.string());
  }
  return Status::Ok();
}

}  // namespace kiln
