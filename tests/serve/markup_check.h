// A small well-formedness check for the HTML and SVG kiln serve draws
// itself (the stats page): every element closed in order, quoted
// attributes, no stray '<' or '&'. Not a full XML parser; enough to catch
// an unescaped value or a tag left open.
#pragma once

#include <string>

namespace kiln::test {

// "" when well formed; else what is wrong and where. HTML void elements
// (meta, br, …) and <!DOCTYPE> are allowed without a close.
std::string CheckMarkup(const std::string& text);

}  // namespace kiln::test
