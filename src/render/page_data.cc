#include "render/page_data.h"

#include "render/dep_recorder.h"
#include "util/strings.h"
#include "util/time_format.h"

namespace kiln {

namespace mstch = kainjow::mustache;

DataBuilder& DataBuilder::SetWithKeys(const std::string& field, MustacheData value,
                                      std::string keys) {
  fields_[field] = std::move(value);
  if (!keys.empty()) deps_[field] = StringData(std::move(keys));
  return *this;
}

MustacheData DataBuilder::Build() {
  fields_[kDepsField] = std::move(deps_);
  MustacheData data = std::move(fields_);
  fields_ = MustacheData(MustacheData::type::object);
  deps_ = MustacheData(MustacheData::type::object);
  return data;
}

MustacheData DataBuilder::ListData(kainjow::mustache::list&& items) {
  MustacheData data(MustacheData::type::list);
  // The list was made non-const by `data`'s constructor; only the accessor
  // is const.
  const_cast<kainjow::mustache::list&>(data.list_value()) = std::move(items);
  return data;
}

MustacheData DataBuilder::StringData(std::string&& text) {
  MustacheData data(MustacheData::type::string);
  const_cast<std::string&>(data.string_value()) = std::move(text);
  return data;
}

std::string AbsoluteUrl(const SiteIndex& index, const std::string& url) {
  return index.config().base_url + url.substr(1);
}

std::string LinkUrl(const SiteIndex& index, const std::string& url) {
  return index.config().base_path + url.substr(1);
}

namespace {

// "Post title · Site title"; the site title alone where the page is the site.
std::string HeadTitle(const std::string& page_title, const std::string& site_title) {
  return page_title == site_title ? site_title : page_title + " · " + site_title;
}

std::vector<std::string> WithKey(std::initializer_list<std::string_view> keys, std::string key) {
  std::vector<std::string> out(keys.begin(), keys.end());
  out.push_back(std::move(key));
  return out;
}

}  // namespace

DataBuilder CommonData(const SiteIndex& index, const std::string& url,
                       const std::string& page_title, const std::string& page_description,
                       std::initializer_list<std::string_view> title_deps) {
  const Config& config = index.config();
  // kainjow treats every string, even "", as true in a section: the has_
  // flags let themes leave out what the site does not set.
  DataBuilder site;
  site.Set("title", config.title, {dep::Config("title")})
      .Set("description", config.description, {dep::Config("description")})
      .Set("has_description", !config.description.empty(), {dep::Config("description")})
      .Set("author", config.author, {dep::Config("author")})
      .Set("has_author", !config.author.empty(), {dep::Config("author")})
      .Set("base_url", config.base_url, {dep::Config("base_url")})
      .Set("base_path", config.base_path, {dep::Config("base_path")});
  mstch::list nav;
  for (const PageMeta* page : index.pages()) {
    nav.push_back(mstch::object{{"title", page->title}, {"url", LinkUrl(index, SiteIndex::PageUrl(page->slug))}});
  }
  DataBuilder data;
  data.Set("site", site.Build())
      .Set("nav_pages", std::move(nav), {dep::NavPages(), dep::Config("base_path")})
      .Set("page_title", page_title, title_deps)
      .Set("head_title", HeadTitle(page_title, config.title), WithKey(title_deps, dep::Config("title")))
      .Set("page_description", page_description, title_deps)
      .Set("is_home", url == "/")
      .Set("url", LinkUrl(index, url), {dep::Config("base_path")})
      .Set("permalink", AbsoluteUrl(index, url), {dep::Config("base_url")});
  return data;
}

std::string CommentCountLabel(int64_t count) {
  if (count == 0) return "No comments";
  if (count == 1) return "1 comment";
  return std::to_string(count) + " comments";
}

std::string PostCountLabel(size_t count) {
  return std::to_string(count) + (count == 1 ? " post" : " posts");
}

DataBuilder PostItem(const SiteIndex& index, const PostMeta& post,
                     const std::map<std::string, int64_t>& comment_counts) {
  const std::string meta = dep::Post(post.slug), count_key = dep::CommentCount(post.slug);
  const std::string base_path = dep::Config("base_path");
  mstch::list tags;
  // The post's own spelling of each tag, so that this item depends on this
  // post alone (tag pages show the merged spelling).
  for (const auto& name : post.tags) {
    tags.push_back(mstch::object{{"name", name}, {"url", LinkUrl(index, SiteIndex::TagUrl(Slugify(name)))}});
  }
  auto it = comment_counts.find(post.slug);
  const int64_t count = it == comment_counts.end() ? 0 : it->second;
  DataBuilder item;
  item.Set("url", LinkUrl(index, post.url), {meta, base_path})
      .Set("slug", post.slug)
      .Set("title", post.title, {meta})
      .Set("date", FormatDay(post.date_local), {meta})
      .Set("date_display", FormatHumanDate(post.date_local), {meta})
      .Set("summary", post.summary, {meta})
      .Set("tags", std::move(tags), {meta, base_path})
      .Set("has_tags", !post.tags.empty(), {meta})
      .Set("comment_count", std::to_string(count), {count_key})
      .Set("comment_count_label", CommentCountLabel(count), {count_key});
  return item;
}

}  // namespace kiln
