// Markdown to HTML with cmark-gfm and the GitHub extensions (tables,
// strikethrough, autolink, tagfilter, task lists). Comments have their own
// renderer on top of this one: render/comment_markdown.h.
#pragma once

#include <string>
#include <string_view>

struct cmark_node;

namespace kiln {

// A post or page body. Authors are trusted: raw HTML is kept, as Zola and
// Jekyll do (tagfilter still neutralises <script>, <iframe> and friends).
std::string RenderTrustedMarkdown(std::string_view markdown);

// Edits a parsed document in place between parsing and rendering.
using TreeEdit = void (*)(cmark_node* document);

// Parses `markdown` with the GitHub extensions and `cmark_options`
// (CMARK_OPT_*), applies `edit` unless it is null, and renders HTML.
// Safe to call from several threads at once.
std::string RenderMarkdown(std::string_view markdown, int cmark_options, TreeEdit edit);

}  // namespace kiln
