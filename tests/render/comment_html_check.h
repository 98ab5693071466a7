// What a rendered comment may contain, checked as a browser would read the
// HTML: used by the comment markdown tests to judge every payload.
#pragma once

#include <string>
#include <vector>

namespace kiln::test {

// Everything in `html` that breaks the comment contract, "" when nothing
// does: a tag outside the allowed set (no <img>: comments load nothing; no
// <h1>-<h3>: comment headings sit below the page's), an event handler or
// style attribute, or a javascript:, vbscript:, data: or file: URL in a URL
// attribute once entities, whitespace and case are undone.
std::string CommentHtmlViolations(const std::string& html);

// Every tag in `html`: cmark escapes each '<' of text, so every literal
// '<' starts markup.
std::vector<std::string> Tags(const std::string& html);

// A URL as a browser resolves its scheme: entities decoded, whitespace and
// control bytes removed, lower case.
std::string BrowserView(const std::string& url);

}  // namespace kiln::test
