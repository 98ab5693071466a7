// libFuzzer target: LoadConfig on arbitrary bytes written to a temp file.
// Must never crash; every error names the file, and a success gives values
// within the documented ranges.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "load/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("kiln-config-fuzz-" + std::to_string(getpid()) + ".toml");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  kiln::Config config;
  kiln::Status s = kiln::LoadConfig(path, &config);
  // Removed after each input: libFuzzer ends a run without running static
  // destructors, and each run left its file in the temporary folder.
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (s.ok()) {
    if (config.posts_per_page < 1 || config.feed_size < 1 || config.base_url.empty() ||
        config.base_url.back() != '/' || config.server.port < 0 || config.server.port > 65535 ||
        config.comments.max_length < 1 || config.comments.rate_limit_per_minute < 0 ||
        (config.comments.moderation != "auto" && config.comments.moderation != "manual")) {
      std::abort();
    }
  } else if (s.file() != path.string()) {
    std::abort();
  }
  return 0;
}
