#include "render/page_data.h"

#include "util/strings.h"
#include "util/time_format.h"

namespace kiln {

namespace mstch = kainjow::mustache;

std::string AbsoluteUrl(const SiteIndex& index, const std::string& url, DepRecorder* deps) {
  deps->Record(dep::Config("base_url"));
  return index.config().base_url + url.substr(1);
}

MustacheData CommonData(const SiteIndex& index, const std::string& url,
                        const std::string& page_title, DepRecorder* deps) {
  const Config& config = index.config();
  for (const char* field : {"title", "description", "author", "base_url"}) {
    deps->Record(dep::Config(field));
  }
  MustacheData site = mstch::object{{"title", config.title},
                                    {"description", config.description},
                                    {"author", config.author},
                                    {"base_url", config.base_url}};
  deps->Record(dep::NavPages());
  mstch::list nav;
  for (const PageMeta* page : index.pages()) {
    nav.push_back(mstch::object{{"title", page->title}, {"url", SiteIndex::PageUrl(page->slug)}});
  }
  MustacheData data = mstch::object{};
  data.set("site", site);
  data.set("nav_pages", nav);
  data.set("page_title", page_title);
  data.set("url", url);
  data.set("permalink", AbsoluteUrl(index, url, deps));
  return data;
}

std::string CommentCountLabel(int64_t count) {
  if (count == 0) return "No comments";
  if (count == 1) return "1 comment";
  return std::to_string(count) + " comments";
}

MustacheData PostItem(const PostMeta& post, const std::map<std::string, int64_t>& comment_counts,
                      DepRecorder* deps) {
  deps->Record(dep::Post(post.slug));
  mstch::list tags;
  // The post's own spelling of each tag, so that this item depends on this
  // post alone (the tag pages show the merged spelling).
  for (const auto& name : post.tags) {
    tags.push_back(mstch::object{{"name", name}, {"url", SiteIndex::TagUrl(Slugify(name))}});
  }
  deps->Record(dep::CommentCount(post.slug));
  auto it = comment_counts.find(post.slug);
  int64_t count = it == comment_counts.end() ? 0 : it->second;
  MustacheData item = mstch::object{};
  item.set("url", SiteIndex::PostUrl(post.slug));
  item.set("slug", post.slug);
  item.set("title", post.title);
  item.set("date", FormatDay(post.date));
  item.set("date_display", FormatHumanDate(post.date));
  item.set("summary", post.summary);
  item.set("tags", tags);
  item.set("has_tags", !post.tags.empty());
  item.set("comment_count", std::to_string(count));
  item.set("comment_count_label", CommentCountLabel(count));
  return item;
}

}  // namespace kiln
