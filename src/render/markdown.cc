#include "render/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "render/code_highlighter.h"
#include "util/strings.h"

namespace kiln {
namespace {

const char* const kExtensions[] = {"table", "strikethrough", "autolink", "tagfilter", "tasklist"};

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};

std::unique_ptr<cmark_parser, ParserDeleter> NewParser(int options) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(options));
  for (const char* name : kExtensions) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  return parser;
}

// Replaces each fenced code block whose info string names a language that
// Source-highlight knows by a custom block holding the highlighted HTML, in
// the markup cmark gives a plain block (GFM spec, "Fenced code blocks": the
// first word of the info string is the language, shown as
// class="language-WORD"). Other blocks stay as cmark renders them. cmark
// writes a custom block's text as it is in safe mode too (safe mode omits
// raw HTML nodes and unsafe URLs only), so comments get highlighted code;
// every byte of the code in that text is escaped by HighlightCode.
//
// At most `budget` bytes of code are highlighted, in document order; a
// block that does not fit stays plain (comments get a small budget, see
// render/comment_markdown.cc).
void HighlightCodeBlocks(cmark_node* root, size_t budget) {
  std::vector<cmark_node*> blocks;
  cmark_iter* iter = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(iter);
    if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK) blocks.push_back(node);
  }
  cmark_iter_free(iter);
  for (cmark_node* block : blocks) {
    const char* info_text = cmark_node_get_fence_info(block);
    const char* code = cmark_node_get_literal(block);
    if (!info_text || !code) continue;
    std::string_view info = info_text;
    std::string_view language = info.substr(0, info.find_first_of(" \t\n\v\f\r"));
    const size_t size = std::strlen(code);
    if (language.empty() || size > budget) continue;
    std::string html = "<pre><code class=\"language-" + EscapeHtml(language) + "\">";
    if (!HighlightCode(language, std::string_view(code, size), &html)) continue;
    budget -= size;
    html += "</code></pre>";
    cmark_node* custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(custom, html.c_str());
    if (cmark_node_replace(block, custom)) {
      cmark_node_free(block);
    } else {
      cmark_node_free(custom);
    }
  }
}

// cmark-gfm 0.29.0.gfm.6 keeps the special characters of the inline
// extensions ('~' for strikethrough, '|' for tables, ':' 'w' '@' for
// autolinks) in one process-wide table: cmark_parser_finish adds them before
// parsing inlines and clears them after (blocks.c, process_inlines), so a
// parse finishing on another thread cleared them under this one and pages
// lost strikethrough, autolinks or table cells at random (issue 7, item 1).
// Every call that reads or writes that table runs under this lock: the
// inline pass and the extensions' postprocessing, both inside
// cmark_parser_finish. Block parsing (feed) and HTML rendering stay
// parallel. Measured on a 4,000-post full build (2 cores, five interleaved
// runs each): 1.25-1.39 s of user CPU with the lock, 1.27-1.43 s without;
// the inline pass is a small part of a page's render, so a lock was chosen
// over a patched or vendored cmark-gfm.
std::mutex& InlineTableMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

std::string RenderMarkdown(std::string_view markdown, int options, TreeEdit edit, size_t code_budget) {
  auto parser = NewParser(options);
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  cmark_node* root;
  {
    std::lock_guard<std::mutex> lock(InlineTableMutex());
    root = cmark_parser_finish(parser.get());
  }
  std::unique_ptr<cmark_node, NodeDeleter> doc(root);
  if (edit) edit(doc.get());
  if (code_budget > 0) HighlightCodeBlocks(doc.get(), code_budget);
  char* html = cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  std::string out(html);
  free(html);
  return out;
}

std::string RenderTrustedMarkdown(std::string_view markdown, bool highlight) {
  return RenderMarkdown(markdown, CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES, nullptr, highlight ? SIZE_MAX : 0);
}

}  // namespace kiln
