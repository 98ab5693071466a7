// `kiln new post "Title"`: a new post file with its front matter filled in,
// as `hugo new posts/x.md` and Zola users expect (issue 8). Like Hugo's
// default archetype, the post starts as a draft: it is published once the
// author removes `draft: true` (or with --publish).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "util/status.h"

namespace kiln {

struct NewPostRequest {
  std::string title;
  std::vector<std::string> tags;
  bool draft = true;
  int64_t now = 0;  // the post's date, UTC seconds
};

// Writes content/posts/SLUG.md (SLUG from the title, as kiln makes slugs)
// under `site_root`, never over an existing file. `*written` gets its path
// relative to the site root. Errors: no kiln.toml; a title that is empty,
// holds a control character or gives no slug; the file exists.
Status NewPost(const std::filesystem::path& site_root, const NewPostRequest& request,
               std::string* written);

}  // namespace kiln
