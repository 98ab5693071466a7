// Disqus stores a comment's message as HTML; kiln stores markdown. This
// keeps what a reader of the old comment saw as text and links, and reduces
// everything else to its text: <p> and <br> become paragraph and line
// breaks, <a href> with an http(s) or mailto URL becomes a markdown link,
// <script> and <style> disappear with their content, any other element
// leaves only its text. Text is escaped so that it stays text in markdown
// ("2 * 3 * 4" is not emphasis, "<b>" written as &lt;b&gt; is not a tag).
// The result is still untrusted: kiln's comment renderer sanitises it.
#pragma once

#include <string>
#include <string_view>

namespace kiln {

// Never fails: libxml2's HTML parser accepts any bytes (tag soup included).
// Iterative, so hostile nesting depth cannot exhaust the stack.
std::string HtmlToMarkdown(std::string_view html);

// `text` with the characters markdown would read as syntax escaped.
std::string EscapeMarkdownText(std::string_view text);

}  // namespace kiln
