// Builders of the Mustache data that templates see (docs/templates.md is
// the contract for theme authors). Each builder records the dependency key
// of everything it reads, at the point where it reads it.
#pragma once

#include <map>
#include <string>

#include <kainjow/mustache.hpp>

#include "load/site_index.h"
#include "render/dep_recorder.h"

namespace kiln {

using MustacheData = kainjow::mustache::data;

// site, nav_pages, page_title, url, permalink: what every template gets.
MustacheData CommonData(const SiteIndex& index, const std::string& url,
                        const std::string& page_title, DepRecorder* deps);

// A post as lists show it: url, slug, title, dates, summary, tags,
// comment_count and its label.
MustacheData PostItem(const PostMeta& post, const std::map<std::string, int64_t>& comment_counts,
                      DepRecorder* deps);

// "No comments", "1 comment", "12 comments".
std::string CommentCountLabel(int64_t count);

// base_url + url without its leading '/'.
std::string AbsoluteUrl(const SiteIndex& index, const std::string& url, DepRecorder* deps);

}  // namespace kiln
