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
#include <kainjow/mustache.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "load/site_index.h"

namespace kiln {

using MustacheData = kainjow::mustache::data;

constexpr const char* kDepsField = "_deps";

// An object whose fields carry the dependency keys of what they show.
class DataBuilder {
 public:
  // `deps` are views: a key made for the call lives until the call's
  // statement ends, and each is copied once, into the field's key list.
  DataBuilder& Set(const std::string& field, MustacheData value,
                   std::initializer_list<std::string_view> deps = {}) {
    return SetWithKeys(field, std::move(value), JoinKeys(deps));
  }
  DataBuilder& Set(const std::string& field, MustacheData value,
                   const std::vector<std::string>& deps) {
    return SetWithKeys(field, std::move(value), JoinKeys(deps));
  }
  // A string made for the field is moved in (kainjow's data(string) copies).
  DataBuilder& Set(const std::string& field, std::string&& value,
                   std::initializer_list<std::string_view> deps = {}) {
    return SetWithKeys(field, StringData(std::move(value)), JoinKeys(deps));
  }
  DataBuilder& Set(const std::string& field, const char* value,
                   std::initializer_list<std::string_view> deps = {}) {
    return SetWithKeys(field, MustacheData(value), JoinKeys(deps));
  }
  // A list handed over whole: its items are moved, not copied (ListData).
  DataBuilder& Set(const std::string& field, kainjow::mustache::list&& items,
                   std::initializer_list<std::string_view> deps = {}) {
    return SetWithKeys(field, ListData(std::move(items)), JoinKeys(deps));
  }

  // kainjow's data(list) copies every item, each a tree of its own. Its
  // list lives on the heap behind the data, so the items can be moved in.
  static MustacheData ListData(kainjow::mustache::list&& items);
  // The same for a string.
  static MustacheData StringData(std::string&& text);
  // Leaves the builder empty.
  MustacheData Build();

 private:
  // "key\n" for each key: what RecordingContext reads back (template_set.cc).
  template <typename Keys>
  static std::string JoinKeys(const Keys& keys) {
    size_t size = 0;
    for (const auto& key : keys) size += key.size() + 1;
    std::string joined;
    joined.reserve(size);
    for (const auto& key : keys) joined.append(key).push_back('\n');
    return joined;
  }
  DataBuilder& SetWithKeys(const std::string& field, MustacheData value, std::string keys);

  // Filled in place, through kainjow's mutable operator[]: its
  // data(object) constructor would copy every subtree, and each level of a
  // page's data copied all the levels below it (a quarter of a full build's
  // instructions went to those copies and their destruction, callgrind).
  MustacheData fields_{MustacheData::type::object};
  MustacheData deps_{MustacheData::type::object};
};

// site (with base_path), nav_pages, page_title, head_title (the page title
// and the site's), page_description, is_home, url, permalink: what every
// template gets. `title_deps` are the keys `page_title` and
// `page_description` come from.
DataBuilder CommonData(const SiteIndex& index, const std::string& url,
                       const std::string& page_title, const std::string& page_description,
                       std::initializer_list<std::string_view> title_deps);

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
