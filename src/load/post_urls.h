// Gives every post its URL (its own `permalink`, else the `[permalinks]
// post` pattern) and checks that no two outputs of the site meet: posts,
// their aliases, standalone pages and kiln's own pages (SPEC.md, "Output").
#pragma once

#include "load/site_model.h"
#include "util/status.h"

namespace kiln {

// Sets `url` of every post of `content`. Errors name the post at fault and
// the file that already holds the path. An alias equal to its own post's URL
// is dropped.
Status AssignPostUrls(const Config& config, SiteContent* content);

// One post's part of AssignPostUrls, without the collision checks: its
// `url`, and its aliases without that URL, sorted, without duplicates.
Status PlacePost(const Config& config, PostMeta* post);

// The path under site/ of a URL: "/" -> "index.html", "/a/b/" ->
// "a/b/index.html", "/a.html" -> "a.html".
std::string OutputPathOf(const std::string& url);

// Where a page bundle's file goes: beside its post's page, at the same path
// relative to the bundle's folder. "content/posts/trip/img/a.jpg" of a post
// at /posts/trip/ -> "posts/trip/img/a.jpg"; of /2016/03/07/Trip.html ->
// "2016/03/07/img/a.jpg".
std::string AssetOutputPath(const PostMeta& post, const std::string& asset);

}  // namespace kiln
