// The HTML of markdown texts, remembered across builds by `kiln serve`
// (issue 6: a comment's latency must not grow with what the page shows).
// A post page shows the post's body and every comment: without it, every
// new comment renders all of that markdown again (and highlights the
// body's code, about 2 ms a block). Keyed by the text itself and the
// renderer's one option, so a hit is exact; the renderer must be a pure
// function of them. Thread-safe. Emptied when it passes its byte bound.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kiln {

class MarkdownHtmlCache {
 public:
  using Renderer = std::string (*)(std::string_view markdown, bool option);

  explicit MarkdownHtmlCache(Renderer render, size_t max_bytes = 64u << 20)
      : render_(render), max_bytes_(max_bytes) {}

  // render(markdown, option), from memory when this text and option were seen.
  std::string Render(std::string_view markdown, bool option = false);

  size_t hits() const;
  size_t misses() const;

 private:
  const Renderer render_;
  const size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::string> html_;  // option byte + text -> HTML
  size_t bytes_ = 0;
  size_t hits_ = 0, misses_ = 0;
};

}  // namespace kiln
