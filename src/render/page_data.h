// Builders of the Mustache data that templates see (docs/templates.md is the
// contract for theme authors).
//
// Dependencies are recorded when a template reads a value, not when the data
// is built: every object carries, in a hidden "_deps" field, the dependency
// keys of each of its fields, and TemplateSet's context records a field's
// keys only when the template resolves that name. So a theme that never
// shows comment counts on listings does not re-render them when a comment
// arrives (SPEC.md invariant 2: "A page is rendered only if something it
// shows changed"). Fields without keys are constant for the page (its URL).
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include <kainjow/mustache.hpp>

#include "load/site_index.h"

namespace kiln {

using MustacheData = kainjow::mustache::data;

constexpr const char* kDepsField = "_deps";

// An object whose fields carry the dependency keys of what they show.
class DataBuilder {
 public:
  DataBuilder& Set(const std::string& field, MustacheData value,
                   std::initializer_list<std::string> deps = {}) {
    return Set(field, std::move(value), std::vector<std::string>(deps));
  }
  DataBuilder& Set(const std::string& field, MustacheData value,
                   const std::vector<std::string>& deps);
  // A list handed over whole: its items are moved, not copied (ListData).
  DataBuilder& Set(const std::string& field, kainjow::mustache::list&& items,
                   std::initializer_list<std::string> deps = {}) {
    return Set(field, ListData(std::move(items)), std::vector<std::string>(deps));
  }

  // kainjow's data(list) copies every item, each a tree of its own. Its
  // list lives on the heap behind the data, so the items can be moved in.
  static MustacheData ListData(kainjow::mustache::list&& items);
  // Leaves the builder empty.
  MustacheData Build();

 private:
  // Plain maps, filled by moving values in: kainjow's data::set copies the
  // whole value, so building through it copied every subtree once per
  // level (malloc was a third of a full build's instructions).
  kainjow::mustache::object fields_;
  kainjow::mustache::object deps_;
};

// site (with base_path), nav_pages, page_title, head_title (the page title
// and the site's), page_description, is_home, url, permalink: what every
// template gets. `title_deps` are the keys `page_title` and
// `page_description` come from.
DataBuilder CommonData(const SiteIndex& index, const std::string& url, const std::string& page_title,
                       const std::string& page_description,
                       std::initializer_list<std::string> title_deps);

// A post as lists show it: url, slug, title, dates, summary, tags,
// comment_count and its label.
DataBuilder PostItem(const SiteIndex& index, const PostMeta& post,
                     const std::map<std::string, int64_t>& comment_counts);

// "No comments", "1 comment", "12 comments"; "1 post", "3 posts".
std::string CommentCountLabel(int64_t count);
std::string PostCountLabel(size_t count);

// base_url + url without its leading '/'.
std::string AbsoluteUrl(const SiteIndex& index, const std::string& url);

// A link as pages write it: base_path + url without its leading '/'
// ("/posts/a/" -> "/blog/posts/a/" when base_url is https://x.github.io/blog/).
// Fields that hold one record dep::Config("base_path").
std::string LinkUrl(const SiteIndex& index, const std::string& url);

}  // namespace kiln
