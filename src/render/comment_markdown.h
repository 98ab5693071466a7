// Comment bodies: untrusted markdown (SPEC.md, "Comments": "rendered as
// markdown with raw HTML and dangerous URLs removed, and nothing a
// commenter writes can run script in a reader's browser").
//
// Two defences, each enough on its own for script: kiln's tree edit
// (SanitiseCommentTree) and cmark's safe mode, which RenderCommentMarkdown
// also turns on. The tests run the payloads through each alone.
#pragma once

#include <cstddef>

#include <string>
#include <string_view>

struct cmark_node;

namespace kiln {

// At most this many bytes of a comment's code are highlighted, in whole
// blocks in document order; a block that does not fit stays plain.
// Highlighting costs 0.1 to 35 us per byte depending on the language (a
// 1.1 KB C++ block 2 ms), and a post's page renders every comment again
// whenever a comment arrives: a reader's snippet fits, a commenter cannot
// make each render of the page slow.
constexpr size_t kCommentCodeBudget = 4096;

// A comment body as HTML: the tree from SanitiseCommentTree, rendered in
// cmark's safe mode, with rel="nofollow ugc" on every link, and code
// highlighted within kCommentCodeBudget.
std::string RenderCommentMarkdown(std::string_view markdown);

// What a comment may show, applied to a parsed comment in place:
//  - raw HTML (blocks and inline) is removed;
//  - a link or image whose URL fails IsSafeCommentUrl becomes its text
//    (a link's children, an image's alt text): nothing clickable remains;
//  - an image is never loaded (a remote image is a tracking pixel that
//    reports every reader's address and visit): it becomes a link to its
//    URL whose text is its alt text (the URL when there is none), or just
//    the alt text inside a link or another image, where a link cannot nest;
//  - a link with no text left (it held only raw HTML, or nothing) shows
//    its URL, so that no link is hidden;
//  - headings move three levels down (# to h4, ## to h5, deeper to h6):
//    the page uses h1 for the post, h2 and h3 for the post's sections and
//    for "N comments" / "Leave a comment", and a comment sits below them.
void SanitiseCommentTree(cmark_node* document);

// Allowed in comments: http:, https:, mailto:, and scheme-less URLs
// ("/posts/a/", "#x", "page.html", "//host/x"). Whitespace and control
// bytes are ignored first, as browsers ignore them; then a ':' before any
// '/', '?' or '#' means a scheme. So javascript:, vbscript:, data:, file:
// and every other scheme are refused, in any case and however split.
bool IsSafeCommentUrl(std::string_view url);

// The heading level a comment's heading of `level` (1-6) is shown at.
int CommentHeadingLevel(int level);

}  // namespace kiln
