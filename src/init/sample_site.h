// The sample blog compiled into the binary (generated at build time by
// scripts/embed_sample_site.py from the repository root).
#pragma once

#include <string>
#include <vector>

namespace kiln {

struct EmbeddedFile {
  const char* path;  // relative to the site root, e.g. "templates/post.mustache"
  std::string bytes;
};

const std::vector<EmbeddedFile>& SampleSiteFiles();

}  // namespace kiln
