// String helpers shared by loading, rendering and serving.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiln {

std::string Trim(std::string_view s);
std::string ToLower(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);

// URL segment for a tag or a title: lower-case ASCII letters and digits,
// runs of anything else become one '-', no leading or trailing '-'.
// Non-ASCII UTF-8 bytes are kept so that "café" stays readable.
std::string Slugify(std::string_view s);

// True for slugs kiln accepts in URLs: [a-z0-9][a-z0-9._-]*, no "..".
bool IsValidSlug(std::string_view slug);

// 0-15 for a hexadecimal digit of either case, -1 otherwise.
int HexDigitValue(char c);

// Counts the code points of `s`; false (and `*count` untouched) when it is
// not valid UTF-8, overlong forms and surrogates included.
bool CountUtf8(std::string_view s, size_t* count);

// Escapes &, <, >, " and ' for HTML and XML text and attributes.
std::string EscapeHtml(std::string_view s);

}  // namespace kiln
