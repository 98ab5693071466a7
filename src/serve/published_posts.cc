#include "serve/published_posts.h"

#include <algorithm>

#include "load/content_loader.h"
#include "load/site_index.h"
#include "util/clock.h"

namespace kiln {

Status LoadPublishedPosts(const std::filesystem::path& site_root,
                          std::vector<std::string>* slugs) {
  // A fresh source cache: this runs only after a build failed, and must not
  // trust a cache that build may have left half-updated.
  SourceCache cache;
  SiteContent content;
  KILN_RETURN_IF_ERROR(LoadContent(site_root, /*force=*/true, &cache, &content));
  SiteIndex index(content, RealClock().NowSeconds());
  slugs->clear();
  for (const PostMeta* post : index.posts()) slugs->push_back(post->slug);
  std::sort(slugs->begin(), slugs->end());
  return Status::Ok();
}

}  // namespace kiln
