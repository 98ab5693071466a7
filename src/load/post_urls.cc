#include "load/post_urls.h"

#include <algorithm>
#include <map>

#include "load/permalink.h"
#include "util/strings.h"

namespace kiln {
namespace {

// Paths kiln's own pages take: a post or alias there would overwrite one.
bool IsKilnPath(const std::string& output) {
  static const char* const kFiles[] = {"index.html", "feed.xml", "sitemap.xml", "404.html",
                                       "robots.txt"};
  for (const char* f : kFiles) {
    if (output == f) return true;
  }
  return StartsWith(output, "tags/") || StartsWith(output, "page/") || StartsWith(output, "api/");
}

class OutputClaims {
 public:
  Status Claim(const std::string& url, const std::string& source, const char* what) {
    const std::string output = OutputPathOf(url);
    if (IsKilnPath(output)) {
      return Status::Invalid(std::string(what) + " " + url + " is a path kiln's own pages use", source, 1);
    }
    auto [it, inserted] = owners_.emplace(output, source);
    if (!inserted) {
      return Status::Invalid(std::string(what) + " " + url + " is already taken by " + it->second,
                             source, 1);
    }
    return Status::Ok();
  }

 private:
  std::map<std::string, std::string> owners_;  // output path -> the file that takes it
};

}  // namespace

std::string OutputPathOf(const std::string& url) {
  std::string path = url.substr(1);
  if (path.empty() || path.back() == '/') path += "index.html";
  return path;
}

std::string AssetOutputPath(const PostMeta& post, const std::string& asset) {
  const std::string page = OutputPathOf(post.url);
  const std::string folder = post.source.substr(0, post.source.rfind('/') + 1);
  return page.substr(0, page.rfind('/') + 1) + asset.substr(folder.size());
}

Status PlacePost(const Config& config, PostMeta* post) {
  std::string error;
  if (!post->permalink.empty()) {
    post->url = post->permalink;
  } else if (!ExpandPermalink(config.permalinks.post, *post, &post->url, &error)) {
    return Status::Invalid(error, post->source, 1);
  }
  auto& aliases = post->aliases;
  aliases.erase(std::remove(aliases.begin(), aliases.end(), post->url), aliases.end());
  std::sort(aliases.begin(), aliases.end());
  aliases.erase(std::unique(aliases.begin(), aliases.end()), aliases.end());
  return Status::Ok();
}

Status AssignPostUrls(const Config& config, SiteContent* content) {
  OutputClaims claims;
  for (const PageMeta& page : content->pages) {
    KILN_RETURN_IF_ERROR(claims.Claim("/" + page.slug + "/", page.source, "the page"));
  }
  for (PostMeta& post : content->posts) {
    KILN_RETURN_IF_ERROR(PlacePost(config, &post));
    KILN_RETURN_IF_ERROR(claims.Claim(post.url, post.source, "the post URL"));
  }
  for (PostMeta& post : content->posts) {
    for (const auto& alias : post.aliases)
      KILN_RETURN_IF_ERROR(claims.Claim(alias, post.source, "the alias"));
    for (const auto& asset : post.assets) {
      KILN_RETURN_IF_ERROR(claims.Claim("/" + AssetOutputPath(post, asset), asset, "the bundle file"));
    }
  }
  return Status::Ok();
}

}  // namespace kiln
