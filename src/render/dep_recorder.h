// What a page read while it rendered: the dependency keys the engine
// fingerprints. Each key names one thing a page can show; the engine
// (engine/fingerprints.h) knows how to hash each kind without rendering.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace kiln {

class DepRecorder {
 public:
  // Ordered, and searchable by string_view: a page reads the same few keys
  // over and over (config:base_path once per link), and a key already
  // recorded costs no allocation.
  using KeySet = std::set<std::string, std::less<>>;

  void Record(std::string_view key) {
    auto it = keys_.lower_bound(key);
    if (it == keys_.end() || *it != key) keys_.emplace_hint(it, key);
  }
  const KeySet& keys() const { return keys_; }

 private:
  KeySet keys_;
};

// The key constructors and their parser: the only place key spellings are
// made and read. A key is "KIND:ARG", where KIND is one word, or "list:" and
// one word ("list:home:2" has kind "list:home" and argument "2").
namespace dep {

struct ParsedKey {
  std::string kind;  // "post", "list:home", "list:tags", …
  std::string arg;   // "my-slug", "2", "" for keys without one
};

inline ParsedKey Parse(const std::string& key) {
  size_t colon = key.find(':');
  if (colon == std::string::npos) return {key, ""};
  if (key.compare(0, colon, "list") == 0) colon = key.find(':', colon + 1);
  if (colon == std::string::npos) return {key, ""};
  return {key.substr(0, colon), key.substr(colon + 1)};
}

// The post whose comments ("comments:SLUG") or comment count ("count:SLUG")
// `key` names, or nothing for any other key. Parse's answer, without its
// two strings: a full build asks it of every key of the site.
inline std::optional<std::string_view> CommentPostOf(std::string_view key) {
  for (std::string_view kind : {std::string_view("comments:"), std::string_view("count:")}) {
    if (key.starts_with(kind)) return key.substr(kind.size());
  }
  return std::nullopt;
}

// True for the keys an edit of a post's or page's file alone can change
// whose pages are not every page: those the content index holds
// (store/content_deps.h). The others change for every page (config:,
// template:, list:pages) or only with something the edit path never takes
// (comments, files added or removed, listings whose posts moved).
inline bool IsContentKey(std::string_view key) {
  for (std::string_view kind : {"post:", "body:", "nav:", "page:"}) {
    if (key.starts_with(kind)) return true;
  }
  return key == "list:sitemap";
}

inline std::string Config(const std::string& field) { return "config:" + field; }
inline std::string Post(const std::string& slug) { return "post:" + slug; }  // listing fields
inline std::string Body(const std::string& slug) { return "body:" + slug; }
inline std::string Neighbours(const std::string& slug) { return "nav:" + slug; }
inline std::string Comments(const std::string& slug) { return "comments:" + slug; }
inline std::string CommentCount(const std::string& slug) { return "count:" + slug; }
inline std::string HomePage(int n) { return "list:home:" + std::to_string(n); }
// Page `number` of a tag's listing: "list:tag:SLUG/N" ('/' never occurs in
// a tag's slug).
inline std::string TagList(const std::string& tag_slug, int number) {
  return "list:tag:" + tag_slug + "/" + std::to_string(number);
}
inline std::string TagIndex() { return "list:tags"; }
inline std::string Feed() { return "list:feed"; }
// The posts the feed of one tag lists: "list:tagfeed:SLUG".
inline std::string TagFeed(const std::string& tag_slug) { return "list:tagfeed:" + tag_slug; }
inline std::string Sitemap() { return "list:sitemap"; }
inline std::string NavPages() { return "list:pages"; }
inline std::string Page(const std::string& slug) { return "page:" + slug; }
inline std::string Template(const std::string& name) { return "template:" + name; }
inline std::string StaticFile(const std::string& rel) { return "static:" + rel; }
inline std::string Asset(const std::string& source) { return "asset:" + source; }  // content/posts/…
}  // namespace dep

}  // namespace kiln
