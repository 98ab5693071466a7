#include "serve/comment_page_site.h"

#include "load/content_loader.h"
#include "load/site_index.h"
#include "render/comment_error_page.h"
#include "util/clock.h"

namespace kiln {

Status LoadCommentPageSite(const std::filesystem::path& site_root, const SiteIndex* index,
                           std::shared_ptr<const CommentPageSite>* out) {
  if (index) return MakeCommentPageSite(site_root, *index, out);
  // A fresh source cache, as published_posts.cc: this must not trust a
  // cache a failed build may have left half-updated.
  SourceCache cache;
  SiteContent content;
  KILN_RETURN_IF_ERROR(LoadContent(site_root, /*force=*/true, &cache, &content));
  SiteIndex loaded(content, RealClock().NowSeconds());
  return MakeCommentPageSite(site_root, loaded, out);
}

}  // namespace kiln
