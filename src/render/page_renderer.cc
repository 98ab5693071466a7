#include "render/page_renderer.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "load/front_matter.h"
#include "render/comment_data.h"
#include "render/comment_html_cache.h"
#include "render/comment_markdown.h"
#include "render/lazy_fields.h"
#include "render/markdown.h"
#include "render/page_data.h"
#include "render/template_set.h"
#include "store/comment_store.h"
#include "util/fs.h"
#include "util/time_format.h"

namespace kiln {
namespace {

// Implementation details: one function per kind of page, each building the
// data its template sees (render/page_data.h explains how dependencies are
// attached to the data and recorded when read).

namespace mstch = kainjow::mustache;

// Reads the markdown body of a content file and renders it.
Status RenderBody(const RenderInputs& in, const std::string& source, std::string* html) {
  std::string bytes;
  KILN_RETURN_IF_ERROR(ReadFile(in.root / source, &bytes));
  const bool highlight = in.index->config().markdown.highlight;
  *html = in.body_html ? in.body_html->Render(BodyOf(bytes), highlight) : RenderTrustedMarkdown(BodyOf(bytes), highlight);
  return Status::Ok();
}

mstch::list PostItems(const std::vector<const PostMeta*>& posts, const RenderInputs& in) {
  mstch::list items;
  // Reserved: kainjow's data has no noexcept move, so a growing vector
  // would copy every item it holds.
  items.reserve(posts.size());
  for (const PostMeta* post : posts) items.push_back(PostItem(*in.index, *post, *in.comment_counts).Build());
  return items;
}

// Page `number` of a listing (posts_per_page posts each).
std::vector<const PostMeta*> ListingSlice(const SiteIndex& index, const std::vector<const PostMeta*>& posts,
                                          int number) {
  const size_t per_page = static_cast<size_t>(index.config().posts_per_page);
  const size_t begin = std::min(static_cast<size_t>(number - 1) * per_page, posts.size());
  const size_t end = std::min(static_cast<size_t>(number) * per_page, posts.size());
  return {posts.begin() + begin, posts.begin() + end};
}

// The newer/older links of a paginated listing; `url_of(n)` is page n's URL.
template <typename UrlOf>
MustacheData Pagination(int number, int total, UrlOf url_of) {
  DataBuilder pagination;
  pagination.Set("show", total > 1)
      .Set("current", std::to_string(number))
      .Set("total", std::to_string(total))
      .Set("has_newer", number > 1)
      .Set("newer_url", url_of(number - 1))
      .Set("has_older", number < total)
      .Set("older_url", url_of(number + 1));
  return pagination.Build();
}

Status RenderHome(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  const SiteIndex& index = *in.index;
  const std::string listing = dep::HomePage(spec.number);
  std::string title = index.config().title;
  if (spec.number > 1) title = "Page " + std::to_string(spec.number);  // head_title adds the site's
  DataBuilder data = CommonData(index, spec.url, title, index.config().description,
                                {dep::Config("title"), dep::Config("description")});
  data.Set("posts", PostItems(ListingSlice(index, index.posts(), spec.number), in), {listing})
      .Set("pagination",
           Pagination(spec.number, index.home_page_count(),
                      [&](int n) { return LinkUrl(index, SiteIndex::HomeUrl(n)); }),
           {listing, dep::Config("base_path")});
  return in.templates->Render("index", data.Build(), spec.url, deps, out);
}

MustacheData Neighbour(const SiteIndex& index, int i) {
  if (i < 0 || i >= static_cast<int>(index.posts().size())) return MustacheData(false);
  const PostMeta* p = index.posts()[i];
  return mstch::object{{"url", LinkUrl(index, p->url)}, {"title", p->title}};
}

// schema.org BlogPosting for search engines, as text safe inside <script>:
// '<', '>' and '&' only occur inside JSON strings, where \u escapes mean
// the same characters, so "</script>" in a title cannot close the element.
std::string PostJsonLd(const SiteIndex& index, const PostMeta& post, const std::string& description) {
  const std::string url = AbsoluteUrl(index, post.url);
  nlohmann::json ld = {{"@context", "https://schema.org"},
                       {"@type", "BlogPosting"},
                       {"headline", post.title},
                       {"description", description},
                       {"datePublished", FormatRfc3339(post.date)},
                       {"dateModified", FormatRfc3339(post.updated ? post.updated : post.date)},
                       {"url", url},
                       {"mainEntityOfPage", url},
                       {"keywords", post.tags}};
  const std::string& author = post.author.empty() ? index.config().author : post.author;
  if (!author.empty()) ld["author"] = {{"@type", "Person"}, {"name", author}};
  std::string out;
  for (char c : ld.dump()) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

Status RenderPost(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  const SiteIndex& index = *in.index;
  const PostMeta& post = *index.FindPost(spec.key);
  const std::string meta = dep::Post(post.slug), shown = dep::Comments(post.slug);
  std::string html;
  KILN_RETURN_IF_ERROR(RenderBody(in, post.source, &html));
  DataBuilder item = PostItem(index, post, *in.comment_counts);
  item.Set("content", std::move(html), {dep::Body(post.slug), dep::Config("markdown.highlight")})
      .Set("has_updated", post.updated != 0, {meta})
      .Set("updated", post.updated ? FormatDay(post.updated_local) : "", {meta})
      .Set("updated_display", post.updated ? FormatHumanDate(post.updated_local) : "", {meta})
      .Set("author", post.author, {meta})
      .Set("has_author", !post.author.empty(), {meta});

  std::vector<Comment> read;
  const std::vector<Comment>* found = nullptr;
  if (in.published_comments) {
    auto it = in.published_comments->find(post.slug);
    if (it != in.published_comments->end()) found = &it->second;
  }
  if (!found && !in.published_comments_complete) KILN_RETURN_IF_ERROR(in.comments->ReadPublished(post.slug, &read));
  if (!found) found = &read;
  const std::vector<Comment>& comments = *found;
  const int64_t count = static_cast<int64_t>(comments.size());
  const Config& config = index.config();
  DataBuilder form;
  form.Set("action", "/api/comments")
      .Set("post", post.slug)
      .Set("max_length", std::to_string(config.comments.max_length), {dep::Config("comments.max_length")})
      .Set("moderated", config.comments.moderation == "manual", {dep::Config("comments.moderation")});

  const int i = index.PostIndex(post.slug);
  const std::string& description = post.description.empty() ? post.summary : post.description;
  item.Set("published", FormatRfc3339(post.date), {meta})
      .Set("modified", FormatRfc3339(post.updated ? post.updated : post.date), {meta})
      .Set("json_ld", PostJsonLd(index, post, description),
           {meta, dep::Config("base_url"), dep::Config("author")});
  DataBuilder data = CommonData(index, spec.url, post.title, description, {meta});
  data.Set("is_post", true)
      .Set("post", item.Build())
      .Set("newer", Neighbour(index, i - 1), {dep::Neighbours(post.slug), dep::Config("base_path")})
      .Set("older", Neighbour(index, i + 1), {dep::Neighbours(post.slug), dep::Config("base_path")})
      .Set("comments", LazyFields::Placeholder(), {shown})
      .Set("comment_threads", LazyFields::Placeholder(), {shown})
      .Set("has_comments", count > 0, {shown})
      .Set("comment_count", std::to_string(count), {shown})
      .Set("comment_count_label", CommentCountLabel(count), {shown})
      .Set("comment_form", form.Build());
  const MustacheData page = data.Build();
  // Made only if the template reads them (render/lazy_fields.h).
  CommentLists lists(comments, in.comment_html);
  LazyFields lazy;
  lazy.Bind(page.get("comments"), [&] { return lists.Flat(); });
  lazy.Bind(page.get("comment_threads"), [&] { return lists.Threads(); });
  return in.templates->Render("post", page, spec.url, deps, out, &lazy);
}

Status RenderTags(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  mstch::list tags;
  for (const TagInfo& tag : in.index->tags()) {
    tags.push_back(mstch::object{{"name", tag.name},
                                 {"url", LinkUrl(*in.index, SiteIndex::TagUrl(tag.slug))},
                                 {"count", std::to_string(tag.posts.size())},
                                 {"count_label", PostCountLabel(tag.posts.size())}});
  }
  DataBuilder data = CommonData(*in.index, spec.url, "Tags", in.index->config().description,
                                {dep::Config("description")});
  data.Set("tags", std::move(tags), {dep::TagIndex(), dep::Config("base_path")});
  return in.templates->Render("tags", data.Build(), spec.url, deps, out);
}

Status RenderTag(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  const SiteIndex& index = *in.index;
  const TagInfo& tag = *index.FindTag(spec.key);
  const int number = std::max(spec.number, 1);
  const std::string listing = dep::TagList(spec.key, number);
  std::string title = "Tag: " + tag.name;
  if (number > 1) title += " · page " + std::to_string(number);
  DataBuilder data = CommonData(index, spec.url, title, "Posts tagged " + tag.name, {listing});
  data.Set("tag",
           mstch::object{{"name", tag.name},
                         {"url", LinkUrl(index, SiteIndex::TagUrl(tag.slug))},
                         {"feed_url", LinkUrl(index, SiteIndex::TagFeedUrl(tag.slug))},
                         {"count", std::to_string(tag.posts.size())},
                         {"count_label", PostCountLabel(tag.posts.size())}},
           {listing, dep::Config("base_path")})
      .Set("posts", PostItems(ListingSlice(index, tag.posts, number), in), {listing})
      .Set("pagination",
           Pagination(number, index.ListingPageCount(tag.posts.size()),
                      [&](int n) { return LinkUrl(index, SiteIndex::TagUrl(tag.slug, n)); }),
           {listing, dep::Config("base_path")});
  return in.templates->Render("tag", data.Build(), spec.url, deps, out);
}

Status RenderStandalone(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps,
                        std::string* out) {
  const PageMeta& page = *in.index->FindPage(spec.key);
  const std::string key = dep::Page(page.slug);
  std::string html;
  KILN_RETURN_IF_ERROR(RenderBody(in, page.source, &html));
  DataBuilder data = CommonData(*in.index, spec.url, page.title, in.index->config().description,
                                {key, dep::Config("description")});
  data.Set("page",
           mstch::object{{"title", page.title}, {"url", LinkUrl(*in.index, spec.url)}, {"content", html}},
           {key, dep::Config("base_path"), dep::Config("markdown.highlight")});
  return in.templates->Render("page", data.Build(), spec.url, deps, out);
}

// What sets one Atom feed apart from another: the site's feed lists the
// latest posts, a tag's feed the latest posts of that tag (issue 8). Both
// go through feed.mustache, so a theme changes them together.
struct FeedSource {
  const std::vector<const PostMeta*>* posts;  // newest first; the feed shows feed_size of them
  std::string listing;                        // the key of which posts it lists
  std::string home;                           // root-relative URL of the HTML page it follows
  std::string title, subtitle;
  std::vector<std::string> title_deps, subtitle_deps;
  const TagInfo* tag = nullptr;  // a tag's feed: which tag
};

// One entry. With feed_content = "full" it also carries the post's rendered
// body, and then depends on it: a body edit renders the feeds that list the
// post (summary mode reads no body, so a body edit renders no feed).
Status FeedEntry(const SiteIndex& index, const PostMeta& post, const RenderInputs& in, MustacheData* out) {
  const std::string meta = dep::Post(post.slug);
  const int64_t updated = post.updated ? post.updated : post.date;
  mstch::list tags;
  for (const auto& name : post.tags) tags.push_back(mstch::object{{"name", name}});
  const bool full = index.config().feed_content == "full";
  DataBuilder entry;
  entry.Set("title", post.title, {meta})
      .Set("permalink", AbsoluteUrl(index, post.url), {dep::Config("base_url"), meta})
      .Set("published", FormatRfc3339(post.date), {meta})
      .Set("updated", FormatRfc3339(updated), {meta})
      .Set("summary", post.summary, {meta})
      .Set("tags", std::move(tags), {meta})
      .Set("has_content", full, {dep::Config("feed_content")});
  if (full) {
    std::string html;
    KILN_RETURN_IF_ERROR(RenderBody(in, post.source, &html));
    entry.Set("content", std::move(html),
              {dep::Body(post.slug), dep::Config("feed_content"), dep::Config("markdown.highlight")});
  }
  *out = entry.Build();
  return Status::Ok();
}

Status RenderFeedOf(const FeedSource& source, const PageSpec& spec, const RenderInputs& in, DepRecorder* deps,
                    std::string* out) {
  const SiteIndex& index = *in.index;
  const std::vector<const PostMeta*>& posts = *source.posts;
  const size_t n = std::min<size_t>(index.config().feed_size, posts.size());
  mstch::list entries;
  entries.reserve(n);
  int64_t latest = 0;
  // The feed's <updated> is the latest entry's: it depends on every entry.
  std::vector<std::string> updated_deps = {source.listing, dep::Config("feed_size")};
  for (size_t i = 0; i < n; ++i) {
    const PostMeta& post = *posts[i];
    latest = std::max(latest, post.updated ? post.updated : post.date);
    updated_deps.push_back(dep::Post(post.slug));
    MustacheData entry;
    KILN_RETURN_IF_ERROR(FeedEntry(index, post, in, &entry));
    entries.push_back(std::move(entry));
  }
  DataBuilder feed;
  feed.Set("title", source.title, source.title_deps)
      .Set("subtitle", source.subtitle, source.subtitle_deps)
      .Set("id", AbsoluteUrl(index, source.home), {dep::Config("base_url")})
      .Set("updated", FormatRfc3339(latest), updated_deps)
      .Set("self_url", AbsoluteUrl(index, spec.url), {dep::Config("base_url")})
      .Set("home_url", AbsoluteUrl(index, source.home), {dep::Config("base_url")});
  // So that one template can tell the two kinds apart: false on the site's.
  if (source.tag) {
    feed.Set("tag", mstch::object{{"name", source.tag->name}, {"url", AbsoluteUrl(index, source.home)}},
             {source.listing, dep::Config("base_url")});
  } else {
    feed.Set("tag", false);
  }
  DataBuilder data = CommonData(index, spec.url, index.config().title, index.config().description,
                                {dep::Config("title"), dep::Config("description")});
  data.Set("feed", feed.Build())
      .Set("entries", std::move(entries), {source.listing, dep::Config("feed_size")});
  return in.templates->Render("feed", data.Build(), spec.url, deps, out);
}

Status RenderFeed(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  const Config& config = in.index->config();
  FeedSource source{&in.index->posts(), dep::Feed(), "/", config.title, config.description,
                    {dep::Config("title")}, {dep::Config("description")}};
  return RenderFeedOf(source, spec, in, deps, out);
}

// /tags/TAG/feed.xml: titled like the tag's page ("Tag: x · Site").
Status RenderTagFeed(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  const TagInfo& tag = *in.index->FindTag(spec.key);
  const std::string listing = dep::TagFeed(tag.slug);
  FeedSource source{&tag.posts,
                    listing,
                    SiteIndex::TagUrl(tag.slug),
                    "Tag: " + tag.name + " · " + in.index->config().title,
                    "Posts tagged " + tag.name,
                    {listing, dep::Config("title")},
                    {listing},
                    &tag};
  return RenderFeedOf(source, spec, in, deps, out);
}

// Every HTML page but the 404 page, with a lastmod for posts
// (sitemaps.org protocol).
Status RenderSitemap(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps,
                     std::string* out) {
  mstch::list urls;
  for (const PageSpec& page : *in.plan) {
    if (!InSitemap(page)) continue;
    const PostMeta* post = page.kind == "post" ? in.index->FindPost(page.key) : nullptr;
    int64_t lastmod = post ? (post->updated ? post->updated : post->date) : 0;
    urls.push_back(mstch::object{{"loc", AbsoluteUrl(*in.index, page.url)},
                                 {"has_lastmod", post != nullptr},
                                 {"lastmod", post ? FormatDay(lastmod) : ""}});
  }
  DataBuilder data = CommonData(*in.index, spec.url, in.index->config().title,
                                in.index->config().description,
                                {dep::Config("title"), dep::Config("description")});
  data.Set("urls", std::move(urls), {dep::Sitemap(), dep::Config("base_url")});
  return in.templates->Render("sitemap", data.Build(), spec.url, deps, out);
}

Status RenderNotFound(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps,
                      std::string* out) {
  DataBuilder data = CommonData(*in.index, spec.url, "Page not found", in.index->config().description,
                                {dep::Config("description")});
  data.Set("is_not_found", true);  // served at every unknown path: no canonical link
  return in.templates->Render("404", data.Build(), spec.url, deps, out);
}

// An old URL of a post (`aliases`): a page that sends readers and search
// engines on (meta refresh and canonical link), as Hugo's and Zola's do.
Status RenderAlias(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  const SiteIndex& index = *in.index;
  const PostMeta& post = *index.FindPost(spec.key);
  const std::string meta = dep::Post(post.slug);
  DataBuilder target;
  target.Set("title", post.title, {meta})
      .Set("url", LinkUrl(index, post.url), {meta, dep::Config("base_path")})
      .Set("permalink", AbsoluteUrl(index, post.url), {meta, dep::Config("base_url")});
  DataBuilder data = CommonData(index, spec.url, post.title, post.summary, {meta});
  data.Set("target", target.Build());
  return in.templates->Render("alias", data.Build(), spec.url, deps, out);
}

// A page bundle's file, copied as it is.
Status RenderAsset(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  deps->Record(dep::Asset(spec.key));
  return ReadFile(in.root / spec.key, out);
}

Status RenderRobots(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  DataBuilder data = CommonData(*in.index, spec.url, in.index->config().title,
                                in.index->config().description, {dep::Config("title")});
  data.Set("sitemap_url", AbsoluteUrl(*in.index, "/sitemap.xml"), {dep::Config("base_url")});
  return in.templates->Render("robots", data.Build(), spec.url, deps, out);
}

}  // namespace

Status RenderPage(const PageSpec& spec, const RenderInputs& in, DepRecorder* deps, std::string* out) {
  if (spec.kind == "home" || spec.kind == "list") return RenderHome(spec, in, deps, out);
  if (spec.kind == "post") return RenderPost(spec, in, deps, out);
  if (spec.kind == "tags") return RenderTags(spec, in, deps, out);
  if (spec.kind == "tag") return RenderTag(spec, in, deps, out);
  if (spec.kind == "page") return RenderStandalone(spec, in, deps, out);
  if (spec.kind == "feed") return RenderFeed(spec, in, deps, out);
  if (spec.kind == "tagfeed") return RenderTagFeed(spec, in, deps, out);
  if (spec.kind == "sitemap") return RenderSitemap(spec, in, deps, out);
  if (spec.kind == "404") return RenderNotFound(spec, in, deps, out);
  if (spec.kind == "alias") return RenderAlias(spec, in, deps, out);
  if (spec.kind == "asset") return RenderAsset(spec, in, deps, out);
  if (spec.kind == "robots") return RenderRobots(spec, in, deps, out);
  return Status::Invalid("no renderer for page kind '" + spec.kind + "'");
}

}  // namespace kiln
