#include "render/page_renderer.h"

#include <algorithm>

#include "load/front_matter.h"
#include "render/markdown.h"
#include "render/page_data.h"
#include "render/template_set.h"
#include "store/comment_store.h"
#include "util/fs.h"
#include "util/time_format.h"

namespace kiln {
namespace {

namespace mstch = kainjow::mustache;

// Reads the markdown body of a content file and renders it.
Status RenderBody(const RenderInputs& in, const std::string& source, std::string* html) {
  std::string bytes;
  KILN_RETURN_IF_ERROR(ReadFile(in.root / source, &bytes));
  *html = RenderTrustedMarkdown(BodyOf(bytes));
  return Status::Ok();
}

mstch::list PostItems(const std::vector<const PostMeta*>& posts, const RenderInputs& in,
                      DepRecorder* deps) {
  mstch::list items;
  for (const PostMeta* post : posts) items.push_back(PostItem(*post, *in.comment_counts, deps));
  return items;
}

Status RenderHome(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  const SiteIndex& index = *in.index;
  deps->Record(dep::HomePage(spec.number));
  const int per_page = index.config().posts_per_page;
  const int total = index.home_page_count();
  auto begin = index.posts().begin() + std::min<size_t>((spec.number - 1) * per_page, index.posts().size());
  auto end = index.posts().begin() + std::min<size_t>(spec.number * per_page, index.posts().size());
  std::string title = index.config().title;
  if (spec.number > 1) title = "Page " + std::to_string(spec.number) + " · " + title;
  MustacheData data = CommonData(index, spec.url, title, deps);
  data.set("posts", PostItems({begin, end}, in, deps));
  MustacheData pagination = mstch::object{};
  pagination.set("show", total > 1);
  pagination.set("current", std::to_string(spec.number));
  pagination.set("total", std::to_string(total));
  pagination.set("has_newer", spec.number > 1);
  pagination.set("newer_url", SiteIndex::HomeUrl(spec.number - 1));
  pagination.set("has_older", spec.number < total);
  pagination.set("older_url", SiteIndex::HomeUrl(spec.number + 1));
  data.set("pagination", pagination);
  return in.templates->Render("index", data, spec.url, deps, out);
}

MustacheData CommentsData(const std::vector<Comment>& comments) {
  mstch::list list;
  for (const auto& c : comments) {
    int64_t when = 0;
    ParseIsoDate(c.created_at, &when);
    list.push_back(mstch::object{{"id", std::to_string(c.id)},
                                 {"author", c.author},
                                 {"created_at", c.created_at},
                                 {"date_display", FormatHumanDate(when)},
                                 {"body_html", RenderCommentMarkdown(c.body)}});
  }
  return list;
}

Status RenderPost(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  const SiteIndex& index = *in.index;
  const PostMeta& post = *index.FindPost(spec.key);
  MustacheData item = PostItem(post, *in.comment_counts, deps);
  deps->Record(dep::Body(post.slug));
  std::string html;
  KILN_RETURN_IF_ERROR(RenderBody(in, post.source, &html));
  item.set("content", html);
  item.set("has_updated", post.updated != 0);
  item.set("updated", post.updated ? FormatDay(post.updated) : "");
  item.set("updated_display", post.updated ? FormatHumanDate(post.updated) : "");

  MustacheData data = CommonData(index, spec.url, post.title, deps);
  data.set("post", item);
  deps->Record(dep::Neighbours(post.slug));
  const int i = index.PostIndex(post.slug);
  auto link = [](const PostMeta* p) {
    return MustacheData(mstch::object{{"url", SiteIndex::PostUrl(p->slug)}, {"title", p->title}});
  };
  data.set("newer", i > 0 ? link(index.posts()[i - 1]) : MustacheData(false));
  data.set("older", i + 1 < static_cast<int>(index.posts().size()) ? link(index.posts()[i + 1])
                                                                   : MustacheData(false));
  deps->Record(dep::Comments(post.slug));
  std::vector<Comment> comments;
  KILN_RETURN_IF_ERROR(in.comments->ReadPublished(post.slug, &comments));
  data.set("comments", CommentsData(comments));
  data.set("has_comments", !comments.empty());
  data.set("comment_count", std::to_string(comments.size()));
  data.set("comment_count_label", CommentCountLabel(static_cast<int64_t>(comments.size())));
  deps->Record(dep::Config("comments.max_length"));
  data.set("comment_form",
           mstch::object{{"action", "/api/comments"},
                         {"post", post.slug},
                         {"max_length", std::to_string(index.config().comments.max_length)}});
  return in.templates->Render("post", data, spec.url, deps, out);
}

Status RenderTags(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  deps->Record(dep::TagIndex());
  mstch::list tags;
  for (const TagInfo& tag : in.index->tags()) {
    tags.push_back(mstch::object{{"name", tag.name},
                                 {"url", SiteIndex::TagUrl(tag.slug)},
                                 {"count", std::to_string(tag.posts.size())}});
  }
  MustacheData data = CommonData(*in.index, spec.url, "Tags", deps);
  data.set("tags", tags);
  return in.templates->Render("tags", data, spec.url, deps, out);
}

Status RenderTag(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  deps->Record(dep::TagList(spec.key));
  const TagInfo& tag = *in.index->FindTag(spec.key);
  MustacheData data = CommonData(*in.index, spec.url, "Tag: " + tag.name, deps);
  data.set("tag", mstch::object{{"name", tag.name},
                                {"url", spec.url},
                                {"count", std::to_string(tag.posts.size())}});
  data.set("posts", PostItems(tag.posts, in, deps));
  return in.templates->Render("tag", data, spec.url, deps, out);
}

Status RenderStandalone(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps,
                        std::string* out) {
  const PageMeta& page = *in.index->FindPage(spec.key);
  deps->Record(dep::Page(page.slug));
  std::string html;
  KILN_RETURN_IF_ERROR(RenderBody(in, page.source, &html));
  MustacheData data = CommonData(*in.index, spec.url, page.title, deps);
  data.set("page", mstch::object{{"title", page.title}, {"url", spec.url}, {"content", html}});
  return in.templates->Render("page", data, spec.url, deps, out);
}

Status RenderFeed(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  const SiteIndex& index = *in.index;
  deps->Record(dep::Feed());
  deps->Record(dep::Config("feed_size"));
  const size_t n = std::min<size_t>(index.config().feed_size, index.posts().size());
  mstch::list entries;
  int64_t latest = 0;
  for (size_t i = 0; i < n; ++i) {
    const PostMeta& post = *index.posts()[i];
    deps->Record(dep::Post(post.slug));
    const int64_t updated = post.updated ? post.updated : post.date;
    latest = std::max(latest, updated);
    mstch::list tags;
    for (const auto& name : post.tags) tags.push_back(mstch::object{{"name", name}});
    entries.push_back(mstch::object{{"title", post.title},
                                    {"permalink", AbsoluteUrl(index, SiteIndex::PostUrl(post.slug), deps)},
                                    {"published", FormatRfc3339(post.date)},
                                    {"updated", FormatRfc3339(updated)},
                                    {"summary", post.summary},
                                    {"tags", tags}});
  }
  MustacheData data = CommonData(index, spec.url, index.config().title, deps);
  data.set("feed", mstch::object{{"id", AbsoluteUrl(index, "/", deps)},
                                 {"updated", FormatRfc3339(latest)},
                                 {"self_url", AbsoluteUrl(index, spec.url, deps)},
                                 {"home_url", AbsoluteUrl(index, "/", deps)}});
  data.set("entries", entries);
  return in.templates->Render("feed", data, spec.url, deps, out);
}

// Every HTML page but the 404 page, with a lastmod for posts
// (sitemaps.org protocol).
Status RenderSitemap(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps,
                     std::string* out) {
  deps->Record(dep::Sitemap());
  mstch::list urls;
  for (const PageSpec& page : *in.plan) {
    if (page.kind == "404" || page.kind == "feed" || page.kind == "sitemap") continue;
    const PostMeta* post = page.kind == "post" ? in.index->FindPost(page.key) : nullptr;
    int64_t lastmod = post ? (post->updated ? post->updated : post->date) : 0;
    urls.push_back(mstch::object{{"loc", AbsoluteUrl(*in.index, page.url, deps)},
                                 {"has_lastmod", post != nullptr},
                                 {"lastmod", post ? FormatDay(lastmod) : ""}});
  }
  MustacheData data = CommonData(*in.index, spec.url, in.index->config().title, deps);
  data.set("urls", urls);
  return in.templates->Render("sitemap", data, spec.url, deps, out);
}

}  // namespace

Status RenderPage(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  if (spec.kind == "home" || spec.kind == "list") return RenderHome(spec, in, deps, out);
  if (spec.kind == "post") return RenderPost(spec, in, deps, out);
  if (spec.kind == "tags") return RenderTags(spec, in, deps, out);
  if (spec.kind == "tag") return RenderTag(spec, in, deps, out);
  if (spec.kind == "page") return RenderStandalone(spec, in, deps, out);
  if (spec.kind == "feed") return RenderFeed(spec, in, deps, out);
  if (spec.kind == "sitemap") return RenderSitemap(spec, in, deps, out);
  if (spec.kind == "404") {
    MustacheData data = CommonData(*in.index, spec.url, "Page not found", deps);
    return in.templates->Render("404", data, spec.url, deps, out);
  }
  return Status::Invalid("no renderer for page kind '" + spec.kind + "'");
}

}  // namespace kiln
