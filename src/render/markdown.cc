#include "render/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <memory>
#include <mutex>

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

std::string RenderMarkdown(std::string_view markdown, int options, TreeEdit edit) {
  auto parser = NewParser(options);
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  cmark_node* root;
  {
    std::lock_guard<std::mutex> lock(InlineTableMutex());
    root = cmark_parser_finish(parser.get());
  }
  std::unique_ptr<cmark_node, NodeDeleter> doc(root);
  if (edit) edit(doc.get());
  char* html = cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  std::string out(html);
  free(html);
  return out;
}

std::string RenderTrustedMarkdown(std::string_view markdown) {
  return RenderMarkdown(markdown, CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES, nullptr);
}

}  // namespace kiln
