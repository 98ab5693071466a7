// The summary a listing shows for a post whose front matter has none.
#pragma once

#include <string>
#include <string_view>

namespace kiln {

// Plain text of the first paragraph of `markdown`, cut at a word boundary
// near kMaxSummaryChars with an ellipsis. Empty when there is no paragraph.
std::string ExtractSummary(std::string_view markdown);

constexpr size_t kMaxSummaryChars = 240;

}  // namespace kiln
