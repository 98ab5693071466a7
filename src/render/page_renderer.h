// Renders one page of the plan to bytes, recording what it read.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "load/site_index.h"
#include "render/dep_recorder.h"
#include "render/page_plan.h"
#include "util/status.h"

namespace kiln {

class BodyHtmlCache;
class CommentHtmlCache;
class CommentStore;
struct Comment;
class TemplateSet;

struct RenderInputs {
  const SiteIndex* index = nullptr;
  const std::vector<PageSpec>* plan = nullptr;  // every page, for the sitemap
  const std::map<std::string, int64_t>* comment_counts = nullptr;  // published, by slug
  CommentStore* comments = nullptr;   // read for post pages only
  TemplateSet* templates = nullptr;
  std::filesystem::path root;         // site root, to read post and page bodies
  CommentHtmlCache* comment_html = nullptr;  // optional: comment HTML kept between builds
  // Optional: published comments already read in this build's snapshot, by
  // post; a post page found here is not read again. When complete, a post
  // not found here has no published comment.
  const std::map<std::string, std::vector<Comment>>* published_comments = nullptr;
  bool published_comments_complete = false;
  BodyHtmlCache* body_html = nullptr;  // optional: post and page bodies' HTML kept between builds
};

// Errors name the template or content file at fault.
Status RenderPage(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps,
                  std::string* out);

}  // namespace kiln
