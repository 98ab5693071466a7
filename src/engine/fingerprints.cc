#include "engine/fingerprints.h"

#include <algorithm>

#include "render/dep_recorder.h"

namespace kiln {

std::optional<Fingerprint> FingerprintCalculator::Of(const std::string& key) {
  auto it = memo_.find(key);
  if (it != memo_.end()) return it->second;
  const dep::ParsedKey parsed = dep::Parse(key);
  std::optional<Fingerprint> fp = Compute(parsed.kind, parsed.arg);
  memo_[key] = fp;
  return fp;
}

Fingerprint FingerprintCalculator::PostFields(const std::string& slug) {
  const PostMeta* post = index_.FindPost(slug);
  if (!post) return kAbsent;
  Hasher h;
  h.Add(post->slug).Add(post->title).Add(post->date).Add(post->updated).Add(post->summary);
  for (const auto& tag : post->tags) h.Add(tag);
  h.Add("|").Add(post->url).Add(post->date_local).Add(post->updated_local).Add(post->author);
  h.Add(post->description);
  return h.Finish();
}

Fingerprint FingerprintCalculator::HomeListing(int number) {
  const int per_page = index_.config().posts_per_page;
  const auto& posts = index_.posts();
  Hasher h;
  h.Add(int64_t{index_.home_page_count()});
  size_t begin = std::min<size_t>(static_cast<size_t>(number - 1) * per_page, posts.size());
  size_t end = std::min<size_t>(static_cast<size_t>(number) * per_page, posts.size());
  for (size_t i = begin; i < end; ++i) h.Add(posts[i]->slug);
  return h.Finish();
}

// The slugs of the latest feed_size posts of `posts` (newest first): the
// entries a feed lists. What each entry shows has keys of its own (post:,
// and body: in full-content feeds).
Fingerprint FingerprintCalculator::FeedListing(const std::vector<const PostMeta*>& posts) {
  Hasher h;
  const size_t n = std::min<size_t>(index_.config().feed_size, posts.size());
  for (size_t i = 0; i < n; ++i) h.Add(posts[i]->slug);
  return h.Finish();
}

// "SLUG/N": the posts on page N of a tag, the tag's name (as the page
// shows it) and its page count (for the pagination links).
std::optional<Fingerprint> FingerprintCalculator::TagListing(const std::string& arg) {
  const size_t slash = arg.rfind('/');
  if (slash == std::string::npos) return std::nullopt;  // a key of an older kiln
  const TagInfo* tag = index_.FindTag(arg.substr(0, slash));
  const int number = std::atoi(arg.c_str() + slash + 1);
  if (!tag || number < 1) return kAbsent;
  const size_t per_page = static_cast<size_t>(index_.config().posts_per_page);
  Hasher h;
  h.Add(tag->name).Add(int64_t{index_.ListingPageCount(tag->posts.size())});
  const size_t end = std::min(static_cast<size_t>(number) * per_page, tag->posts.size());
  for (size_t i = static_cast<size_t>(number - 1) * per_page; i < end; ++i) h.Add(tag->posts[i]->slug);
  return h.Finish();
}

Fingerprint FingerprintCalculator::ConfigField(const std::string& field) {
  const Config& c = index_.config();
  if (field == "title") return HashBytes(c.title);
  if (field == "description") return HashBytes(c.description);
  if (field == "author") return HashBytes(c.author);
  if (field == "base_url") return HashBytes(c.base_url);
  if (field == "base_path") return HashBytes(c.base_path);
  if (field == "feed_size") return static_cast<Fingerprint>(c.feed_size);
  if (field == "feed_content") return HashBytes(c.feed_content);
  if (field == "comments.max_length") return static_cast<Fingerprint>(c.comments.max_length);
  if (field == "comments.moderation") return HashBytes(c.comments.moderation);
  if (field == "markdown.highlight") return c.markdown.highlight ? 2 : 1;
  return kAbsent;
}

std::optional<Fingerprint> FingerprintCalculator::Compute(const std::string& kind,
                                                          const std::string& arg) {
  if (kind == "post") return PostFields(arg);
  if (kind == "body") {
    const PostMeta* post = index_.FindPost(arg);
    return post ? post->body_hash : kAbsent;
  }
  if (kind == "nav") {
    int i = index_.PostIndex(arg);
    if (i < 0) return kAbsent;
    Hasher h;
    const auto& posts = index_.posts();
    if (i > 0) h.Add(posts[i - 1]->slug).Add(posts[i - 1]->title).Add(posts[i - 1]->url);
    h.Add("|");
    if (i + 1 < static_cast<int>(posts.size())) {
      h.Add(posts[i + 1]->slug).Add(posts[i + 1]->title).Add(posts[i + 1]->url);
    }
    return h.Finish();
  }
  if (kind == "comments" || kind == "count") {
    auto it = comments_.find(arg);
    if (it == comments_.end()) return Fingerprint{0};
    return kind == "comments" ? it->second.fingerprint : static_cast<Fingerprint>(it->second.count);
  }
  if (kind == "config") return ConfigField(arg);
  if (kind == "template" || kind == "static") {
    auto it = sources_.find((kind == "template" ? "templates/" + arg + ".mustache" : "static/" + arg));
    return it == sources_.end() ? kAbsent : it->second.content_hash;
  }
  if (kind == "asset") {  // a page bundle's file, hashed by the loader
    auto it = sources_.find(arg);
    return it == sources_.end() ? kAbsent : it->second.content_hash;
  }
  if (kind == "page") {
    const PageMeta* page = index_.FindPage(arg);
    if (!page) return kAbsent;
    return Hasher().Add(page->title).Add(static_cast<int64_t>(page->body_hash)).Finish();
  }
  if (kind == "list:home") return HomeListing(std::atoi(arg.c_str()));
  if (kind == "list:tag") return TagListing(arg);
  if (kind == "list:tags") {
    Hasher h;
    for (const TagInfo& tag : index_.tags()) h.Add(tag.slug).Add(tag.name).Add(int64_t(tag.posts.size()));
    return h.Finish();
  }
  if (kind == "list:feed") return FeedListing(index_.posts());
  if (kind == "list:tagfeed") {  // and the tag's name, in the feed's title
    const TagInfo* tag = index_.FindTag(arg);
    if (!tag) return kAbsent;
    return Hasher().Add(tag->name).Add(static_cast<int64_t>(FeedListing(tag->posts))).Finish();
  }
  if (kind == "list:sitemap") {
    Hasher h;
    for (const PageSpec& page : plan_) {
      if (!InSitemap(page)) continue;
      h.Add(page.url);
      if (const PostMeta* post = page.kind == "post" ? index_.FindPost(page.key) : nullptr) {
        h.Add(post->updated ? post->updated : post->date);
      }
    }
    return h.Finish();
  }
  if (kind == "list:pages") {
    Hasher h;
    for (const PageMeta* page : index_.pages()) h.Add(page->slug).Add(page->title);
    return h.Finish();
  }
  return std::nullopt;
}

std::string FingerprintCalculator::Describe(const std::string& key) {
  const auto [kind, arg] = dep::Parse(key);
  if (kind == "post") return "title, date, tags, summary or URL of post '" + arg + "'";
  if (kind == "body") return "body of post '" + arg + "'";
  if (kind == "nav") return "previous/next posts of '" + arg + "'";
  if (kind == "comments") return "comments of post '" + arg + "'";
  if (kind == "count") return "comment count of post '" + arg + "'";
  if (kind == "config") return "kiln.toml " + arg;
  if (kind == "template") return "template '" + arg + "'";
  if (kind == "static") return "static file '" + arg + "'";
  if (kind == "asset") return "page bundle file '" + arg + "'";
  if (kind == "page") return "page '" + arg + "'";
  if (kind == "list:tags") return "the list of tags";
  if (kind == "list:feed") return "the posts the feed lists";
  if (kind == "list:tagfeed") return "the posts the feed of tag '" + arg + "' lists";
  if (kind == "list:sitemap") return "the pages of the site";
  if (kind == "list:pages") return "the list of standalone pages";
  if (kind == "list:home") return "the posts listed on home page " + arg;
  if (kind == "list:tag") return "the posts on tag page " + arg;
  return key;
}

}  // namespace kiln
