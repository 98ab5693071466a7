#include "import/thread_matcher.h"

#include <algorithm>
#include <vector>

#include "load/post_urls.h"
#include "util/strings.h"

namespace kiln {
namespace {

std::string PercentDecodeUrl(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = HexDigitValue(text[i + 1]), lo = HexDigitValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// The last non-empty segment of `path`, without a file extension.
std::string LastSegmentStem(const std::string& path) {
  size_t end = path.size();
  while (end > 0 && path[end - 1] == '/') --end;
  const size_t start = path.rfind('/', end == 0 ? 0 : end - 1);
  std::string segment = path.substr(start == std::string::npos ? 0 : start + 1,
                                    end - (start == std::string::npos ? 0 : start + 1));
  for (const char* ext : {".html", ".htm", ".php", ".aspx"}) {
    if (EndsWith(ToLower(segment), ext)) segment.resize(segment.size() - std::string_view(ext).size());
  }
  return segment;
}

}  // namespace

std::string ThreadPathOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    const size_t path = url.find('/', scheme + 3);
    url = path == std::string_view::npos ? std::string_view("/") : url.substr(path);
  }
  url = url.substr(0, std::min(url.find('?'), url.find('#')));
  std::string decoded = PercentDecodeUrl(url);
  std::string path = "/";
  for (char c : decoded) {
    if (c == '/' && path.back() == '/') continue;  // collapse "//"
    path += c;
  }
  // A last segment without a '.' is a folder: "/a" is "/a/".
  const size_t last = path.rfind('/');
  if (path.find('.', last) == std::string::npos && path.back() != '/') path += '/';
  return path;
}

ThreadMatcher::ThreadMatcher(const SiteContent& content) : base_path_(content.config.base_path) {
  for (const PostMeta& post : content.posts) {
    by_output_.emplace(OutputPathOf(post.url), post.slug);
    for (const std::string& alias : post.aliases) by_output_.emplace(OutputPathOf(alias), post.slug);
    by_slug_.emplace(post.slug, post.slug);
  }
}

std::string ThreadMatcher::Match(std::string_view url) const {
  const std::string path = ThreadPathOf(url);
  // Threads of the blog at its current prefix, then at the root (an old
  // blog that lived at the root of its host).
  std::vector<std::string> candidates;
  if (base_path_.size() > 1 && StartsWith(path, base_path_)) candidates.push_back(path.substr(base_path_.size() - 1));
  candidates.push_back(path);
  for (const std::string& candidate : candidates) {
    auto it = by_output_.find(OutputPathOf(candidate));
    if (it != by_output_.end()) return it->second;
  }
  const std::string stem = LastSegmentStem(path);
  if (stem.empty()) return {};
  auto it = by_slug_.find(Slugify(stem));
  return it == by_slug_.end() ? std::string() : it->second;
}

}  // namespace kiln
