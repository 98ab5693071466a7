// Markdown to HTML with cmark-gfm and the GitHub extensions (tables,
// strikethrough, autolink, tagfilter, task lists). In both functions a
// fenced code block whose first info word names a language Source-highlight
// knows comes out highlighted (render/code_highlighter.h: CSS classes, the
// code escaped); any other code block is cmark's plain escaped block. A
// comment has the first 4 KB of its code highlighted, in whole blocks.
#pragma once

#include <string>
#include <string_view>

namespace kiln {

// A post or page body. Authors are trusted: raw HTML is kept, as Zola and
// Jekyll do (tagfilter still neutralises <script>, <iframe> and friends).
std::string RenderTrustedMarkdown(std::string_view markdown);

// A comment body: untrusted (SPEC.md, "Comments": "nothing a commenter
// writes can run script in a reader's browser"). Raw HTML is omitted by
// cmark's safe mode; every link or image whose URL is not http(s), mailto or
// relative is replaced by its text (this drops javascript:, vbscript:,
// file: and also data:, which cmark's safe mode lets through for images);
// links get rel="nofollow ugc".
std::string RenderCommentMarkdown(std::string_view markdown);

}  // namespace kiln
