// Post URLs: the `[permalinks] post` pattern of kiln.toml, a post's own
// `permalink`, and its `aliases` (SPEC.md, "A site on disk" and "Output").
// Every URL made here is a root-relative path that stays inside site/: no
// "." or ".." segment (after percent-decoding), no backslash, no control
// character, nothing but the characters below.
#pragma once

#include <string>
#include <string_view>

#include "load/site_model.h"

namespace kiln {

// True when `pattern` is usable: starts with '/', uses only the tokens
// :year :month :day :i_month :i_day :short_year :slug :title, and ends in
// '/' or in a file name with an extension ("….html"). Else `*error` says why.
bool CheckPermalinkPattern(const std::string& pattern, std::string* error);

// Jekyll's :title: Utils.slugify in "pretty" mode, case kept: runs of
// characters other than letters, digits and ._~!$&'()+,;=@ become one '-',
// leading and trailing '-' dropped. "Hello World!" -> "Hello-World!".
std::string JekyllTitleSlug(std::string_view text);

// The URL `pattern` gives `post` (its slug, title_part and date_local).
// False when the result would leave site/ (a title of ".."), with `*error`.
bool ExpandPermalink(const std::string& pattern, const PostMeta& post, std::string* url,
                     std::string* error);

// A URL path written by a user (front matter `permalink`, `aliases`):
// percent-decoded, a full URL under `base_url` reduced to its path, repeated
// '/' collapsed, a trailing '/' added when the last segment has no '.'
// ("/about" -> "/about/"). False, with `*error`, for another host, a "." or
// ".." segment, or a character outside [A-Za-z0-9-._~!$&'()+,;=@/] and
// non-ASCII UTF-8.
bool SanitizeSitePath(std::string_view text, const std::string& base_url, std::string* path,
                      std::string* error);

}  // namespace kiln
