#include "edge/cache_tags.h"

#include <algorithm>
#include <string_view>

namespace kiln {
namespace {

bool SafeTagByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == ':' || c == '/';
}

std::string EscapeTag(const std::string& key) {
  // Most keys are slugs and names: copied whole (a byte at a time, this was
  // 2 % of a comment's instructions in `kiln serve`).
  if (std::all_of(key.begin(), key.end(),
                  [](char c) { return SafeTagByte(static_cast<unsigned char>(c)); })) {
    return key;
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string tag;
  tag.reserve(key.size() + 16);
  for (unsigned char c : key) {
    if (SafeTagByte(c)) {
      tag += static_cast<char>(c);
    } else {
      tag += '%';
      tag += kHex[c >> 4];
      tag += kHex[c & 15];
    }
  }
  return tag;
}

// Keys that name one post: a page that lists many posts has many of them.
bool PerPostKey(std::string_view key) {
  for (std::string_view kind : {"post:", "body:", "nav:", "comments:", "count:"}) {
    if (key.starts_with(kind)) return true;
  }
  return false;
}

size_t JoinedSize(const std::vector<std::string>& tags) {
  size_t size = 0;
  for (const auto& t : tags) size += t.size() + 1;
  return size == 0 ? 0 : size - 1;
}

}  // namespace

std::vector<std::string> CacheTagsOf(const std::vector<std::string>& keys) {
  std::vector<std::string> tags;
  tags.reserve(keys.size());
  for (const auto& key : keys) tags.push_back(EscapeTag(key));
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  if (JoinedSize(tags) <= kMaxTagBytes) return tags;
  std::erase_if(tags, [](const std::string& t) { return PerPostKey(t); });
  while (JoinedSize(tags) > kMaxTagBytes) tags.pop_back();
  return tags;
}

std::string JoinCacheTags(const std::vector<std::string>& tags) {
  std::string joined;
  for (const auto& t : tags) {
    if (!joined.empty()) joined += ' ';
    joined += t;
  }
  return joined;
}

std::unordered_map<std::string, std::string> CacheTagHeaders(
    const std::map<std::string, std::vector<std::string>>& output_keys) {
  std::unordered_map<std::string, std::string> headers;
  headers.reserve(output_keys.size());
  for (const auto& [output, keys] : output_keys) headers.emplace(output, JoinCacheTags(CacheTagsOf(keys)));
  return headers;
}

std::string PageCacheControl(int s_maxage) {
  return "public, max-age=0, must-revalidate, s-maxage=" + std::to_string(s_maxage);
}

std::string UrlPathOf(const std::string& output, const std::string& prefix) {
  std::string_view rel = output;
  constexpr std::string_view kIndex = "index.html";
  if (rel.ends_with(kIndex) && (rel.size() == kIndex.size() || rel[rel.size() - kIndex.size() - 1] == '/')) {
    rel.remove_suffix(kIndex.size());
  }
  std::string path = prefix.empty() || prefix.back() != '/' ? prefix + "/" : prefix;
  if (path.front() != '/') path.insert(path.begin(), '/');
  // As a browser sends it (RFC 3986 3.3): a cache keys on those bytes.
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr std::string_view kPathPunct = "-._~/!$&'()*+,;=:@";
  for (unsigned char c : rel) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        kPathPunct.find(static_cast<char>(c)) != std::string_view::npos) {
      path += static_cast<char>(c);
    } else {
      path += '%';
      path += kHex[c >> 4];
      path += kHex[c & 15];
    }
  }
  return path;
}

}  // namespace kiln
