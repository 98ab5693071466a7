// Which posts take comments, when no build says so (issue 7: a server whose
// first build failed answered every comment 404 "no published post", while
// the post itself served 200, until a build succeeded).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "util/status.h"

namespace kiln {

// The sorted slugs of the posts published now (not drafts, not dated in the
// future), from reading kiln.toml and content/ alone: no template, no
// kiln.db and no write is needed, so a build broken by a template or the
// disk does not stop comments. Errors: the first bad content file.
Status LoadPublishedPosts(const std::filesystem::path& site_root, std::vector<std::string>* slugs);

}  // namespace kiln
