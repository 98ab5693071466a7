// Markdown to HTML with cmark-gfm and the GitHub extensions (tables,
// strikethrough, autolink, tagfilter, task lists). A fenced code block whose
// first info word names a language Source-highlight knows comes out
// highlighted (render/code_highlighter.h: CSS classes, the code escaped);
// any other code block is cmark's plain escaped block. Comments have their
// own renderer on top of this one: render/comment_markdown.h.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

struct cmark_node;

namespace kiln {

// A post or page body. Authors are trusted: raw HTML is kept, as Zola and
// Jekyll do (tagfilter still neutralises <script>, <iframe> and friends).
// All of its fenced code is highlighted, unless `highlight` is false
// (kiln.toml [markdown] highlight).
std::string RenderTrustedMarkdown(std::string_view markdown, bool highlight = true);

// Edits a parsed document in place between parsing and rendering.
using TreeEdit = void (*)(cmark_node* document);

// Parses `markdown` with the GitHub extensions and `cmark_options`
// (CMARK_OPT_*), applies `edit` unless it is null, highlights fenced code
// blocks in document order while their bytes fit in `code_budget` (a block
// that does not fit stays plain; none by default), and renders HTML. Safe
// to call from several threads at once.
std::string RenderMarkdown(std::string_view markdown, int cmark_options, TreeEdit edit,
                           size_t code_budget = 0);

}  // namespace kiln
