// Mistakes in YAML front matter that yaml-cpp does not report where they
// are (issue 8, "errors with file and line"):
//   - a quoted scalar that is never closed: yaml-cpp 0.7 accepts it,
//     swallowing the lines after it into the value up to the end of the
//     block (`title: "Hello` made the title "Hello date: 2016-… tags: …"),
//     so the error surfaced later, at another line, as another mistake;
//   - a key written twice in one mapping: yaml-cpp keeps both silently.
// Bad indentation, tabs and bad dates are reported at the right line by
// yaml-cpp and load/front_matter.cc already.
#pragma once

#include <string>
#include <string_view>

namespace YAML {
class Node;
}

namespace kiln {

// Where (0-based line and column of its quote) a single- or double-quoted
// scalar of `text` opens and is never closed; false when none does. A
// light scanner, not a YAML parser: it knows where a scalar may start (a
// line's start after indentation and "- ", after ": ", and after '[', '{'
// or ',' inside flow collections), comments, quoted escapes ('' and \"),
// and skips the lines of block scalars (| and >). A quote inside a plain
// scalar ("it's") is text. Confirm with IsQuotedScalarAt: a plain scalar
// continued on a line that starts with a quote would fool the scanner.
bool FindUnterminatedQuote(std::string_view text, int* line, int* column);

// True when yaml-cpp parsed a quoted scalar starting at `line`, `column`
// (0-based) somewhere in `root`.
bool IsQuotedScalarAt(const YAML::Node& root, int line, int column);

// When `map` (a mapping) has a key twice: true, with the 0-based lines of
// the first and the second occurrence and the key.
bool FindDuplicateKey(const YAML::Node& map, int* first_line, int* second_line, std::string* key);

}  // namespace kiln
