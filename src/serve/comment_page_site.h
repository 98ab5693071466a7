// The site as the comment form's error page shows it
// (render/comment_error_page.h), for the server to take after a build.
#pragma once

#include <filesystem>
#include <memory>

#include "util/status.h"

namespace kiln {

class SiteIndex;
struct CommentPageSite;

// From `index` (the resident engine's, when it has one) or, when null, from
// loading kiln.toml and content/ alone, as serve/published_posts.h does; the
// templates are read from `site_root`/templates either way.
Status LoadCommentPageSite(const std::filesystem::path& site_root, const SiteIndex* index,
                           std::shared_ptr<const CommentPageSite>* out);

}  // namespace kiln
