#include "edge/headers_file.h"

#include "edge/cache_tags.h"

namespace kiln {

std::string HeadersFileOf(const std::map<std::string, std::vector<std::string>>& output_keys, int s_maxage) {
  std::string file =
      "# Written by kiln build ([edge] headers_file): the headers kiln serve sends.\n"
      "/*\n  Cache-Control: " + PageCacheControl(s_maxage) + "\n";
  for (const auto& [output, keys] : output_keys) {
    const std::vector<std::string> tags = CacheTagsOf(keys);
    if (tags.empty()) continue;
    std::string joined;
    for (const auto& tag : tags) {
      if (!joined.empty()) joined += ',';  // Netlify and Cloudflare split on commas
      joined += tag;
    }
    file += UrlPathOf(output) + "\n  Cache-Tag: " + joined + "\n";
  }
  return file;
}

}  // namespace kiln
