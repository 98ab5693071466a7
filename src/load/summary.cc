#include "load/summary.h"

#include <cmark-gfm.h>

#include <memory>

#include "util/strings.h"

namespace kiln {
namespace {

// Collects the literal text under `node` (text, code, line breaks as spaces).
void AppendText(cmark_node* node, std::string* out) {
  for (cmark_node* child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
    switch (cmark_node_get_type(child)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        out->append(cmark_node_get_literal(child));
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        out->push_back(' ');
        break;
      default:
        AppendText(child, out);
    }
  }
}

// Cuts at the last space before `max` bytes, never inside a UTF-8 sequence.
std::string Shorten(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = text.rfind(' ', max);
  if (cut == std::string::npos || cut < max / 2) {
    cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return Trim(text.substr(0, cut)) + "…";
}

}  // namespace

std::string ExtractSummary(std::string_view markdown) {
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> doc(
      cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT), cmark_node_free);
  for (cmark_node* node = cmark_node_first_child(doc.get()); node; node = cmark_node_next(node)) {
    if (cmark_node_get_type(node) != CMARK_NODE_PARAGRAPH) continue;
    std::string text;
    AppendText(node, &text);
    text = Trim(text);
    if (!text.empty()) return Shorten(text, kMaxSummaryChars);
  }
  return "";
}

}  // namespace kiln
