#include "render/comment_markdown.h"

#include <cmark-gfm.h>

#include <algorithm>
#include <vector>

#include "render/markdown.h"
#include "util/strings.h"

// Implementation: SanitiseCommentTree collects the nodes of each kind in one
// walk, then edits them last to first in document order, so that a node is
// never freed while a descendant still waits in a list (cmark_node_free
// frees the subtree). Edits run in an order that keeps each step simple:
// raw HTML, then unsafe URLs, then images (all safe by then), then links
// left empty by the steps before, then headings.

namespace kiln {
namespace {

constexpr int kHeadingShift = 3;

// Every node of the document for which `wanted` is true, in document order
// (a parent before its descendants).
template <typename Predicate>
std::vector<cmark_node*> NodesWhere(cmark_node* root, Predicate wanted) {
  std::vector<cmark_node*> nodes;
  cmark_iter* iter = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(iter);
    if (ev == CMARK_EVENT_ENTER && wanted(node)) nodes.push_back(node);
  }
  cmark_iter_free(iter);
  return nodes;
}

bool IsType(cmark_node* node, cmark_node_type a, cmark_node_type b) {
  cmark_node_type type = cmark_node_get_type(node);
  return type == a || type == b;
}

// Replaces `node` by its children.
void Unwrap(cmark_node* node) {
  while (cmark_node* child = cmark_node_first_child(node)) cmark_node_insert_before(node, child);
  cmark_node_free(node);
}

void RemoveRawHtml(cmark_node* root) {
  // Raw HTML nodes are leaves: none contains another.
  auto html = [](cmark_node* n) { return IsType(n, CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE); };
  for (cmark_node* node : NodesWhere(root, html)) cmark_node_free(node);
}

void UnwrapUnsafeUrls(cmark_node* root) {
  auto unsafe = [](cmark_node* n) {
    if (!IsType(n, CMARK_NODE_LINK, CMARK_NODE_IMAGE)) return false;
    const char* url = cmark_node_get_url(n);
    return !IsSafeCommentUrl(url ? url : "");
  };
  std::vector<cmark_node*> nodes = NodesWhere(root, unsafe);
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) Unwrap(*it);
}

// An image's alt text as cmark writes it into alt="": the text of its
// descendants, line breaks as spaces.
std::string PlainText(cmark_node* node) {
  std::string text;
  cmark_iter* iter = cmark_iter_new(node);
  for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    cmark_node* n = cmark_iter_get_node(iter);
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node_type type = cmark_node_get_type(n);
    if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) text += cmark_node_get_literal(n);
    if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) text += ' ';
  }
  cmark_iter_free(iter);
  return text;
}

bool InsideLinkOrImage(cmark_node* node) {
  for (cmark_node* p = cmark_node_parent(node); p; p = cmark_node_parent(p)) {
    cmark_node_type type = cmark_node_get_type(p);
    if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) return true;
  }
  return false;
}

cmark_node* NewText(const std::string& literal) {
  cmark_node* text = cmark_node_new(CMARK_NODE_TEXT);
  cmark_node_set_literal(text, literal.c_str());
  return text;
}

void ImageToLinkOrText(cmark_node* image) {
  std::string alt = PlainText(image);
  const char* url = cmark_node_get_url(image);
  cmark_node* replacement;
  if (InsideLinkOrImage(image)) {
    replacement = NewText(alt);
  } else {
    replacement = cmark_node_new(CMARK_NODE_LINK);
    cmark_node_set_url(replacement, url);
    cmark_node_set_title(replacement, cmark_node_get_title(image));
    cmark_node_append_child(replacement, NewText(alt.empty() ? std::string(url ? url : "") : alt));
  }
  cmark_node_replace(image, replacement);
  cmark_node_free(image);
}

void ReplaceImages(cmark_node* root) {
  auto image = [](cmark_node* n) { return cmark_node_get_type(n) == CMARK_NODE_IMAGE; };
  std::vector<cmark_node*> images = NodesWhere(root, image);
  // Last first: an image inside another's alt text is replaced before the
  // outer one reads its text.
  for (auto it = images.rbegin(); it != images.rend(); ++it) ImageToLinkOrText(*it);
}

// A link whose text was all raw HTML ("[<img src=x>](https://a.org)") or
// empty would be invisible yet followable: a hidden link. It shows its URL.
void LabelEmptyLinks(cmark_node* root) {
  auto empty_link = [](cmark_node* n) {
    if (cmark_node_get_type(n) != CMARK_NODE_LINK) return false;
    return PlainText(n).find_first_not_of(" \t") == std::string::npos;
  };
  for (cmark_node* link : NodesWhere(root, empty_link)) {
    while (cmark_node* child = cmark_node_first_child(link)) cmark_node_free(child);
    const char* url = cmark_node_get_url(link);
    cmark_node_append_child(link, NewText(url ? url : ""));
  }
}

void DemoteHeadings(cmark_node* root) {
  auto heading = [](cmark_node* n) { return cmark_node_get_type(n) == CMARK_NODE_HEADING; };
  for (cmark_node* h : NodesWhere(root, heading)) {
    cmark_node_set_heading_level(h, CommentHeadingLevel(cmark_node_get_heading_level(h)));
  }
}

}  // namespace

int CommentHeadingLevel(int level) { return std::min(6, level + kHeadingShift); }

bool IsSafeCommentUrl(std::string_view url) {
  std::string cleaned;
  for (unsigned char c : url) {
    if (c > 0x20 && c != 0x7f) cleaned += static_cast<char>(c);
  }
  std::string lower = ToLower(cleaned);
  size_t colon = lower.find(':');
  size_t boundary = lower.find_first_of("/?#");
  if (colon == std::string::npos || (boundary != std::string::npos && boundary < colon)) return true;
  return StartsWith(lower, "http:") || StartsWith(lower, "https:") || StartsWith(lower, "mailto:");
}

void SanitiseCommentTree(cmark_node* document) {
  RemoveRawHtml(document);
  UnwrapUnsafeUrls(document);
  ReplaceImages(document);
  LabelEmptyLinks(document);
  DemoteHeadings(document);
}

std::string RenderCommentMarkdown(std::string_view markdown) {
  std::string html = RenderMarkdown(markdown, CMARK_OPT_DEFAULT, SanitiseCommentTree, kCommentCodeBudget);
  // No raw HTML is left, so every "<a href" here was made by cmark.
  std::string out;
  out.reserve(html.size() + 32);
  size_t pos = 0, hit;
  while ((hit = html.find("<a href=", pos)) != std::string::npos) {
    out.append(html, pos, hit - pos);
    out += "<a rel=\"nofollow ugc\" href=";
    pos = hit + 8;
  }
  out.append(html, pos, std::string::npos);
  return out;
}

}  // namespace kiln
