#include "import/html_to_markdown.h"

#include <cstdint>
#include <cstring>
#include <memory>

#include "import/xml_library.h"

namespace kiln {
namespace {

// Only called once Xml() has loaded (the entry points check).
const XmlLibrary& Lib() { return *Xml(); }

// Implementation details: the HTML is parsed by libxml2 (the same library
// that reads the Disqus export, see import/disqus_export.cc), then its tree
// is walked with parent/next pointers rather than recursion. Text runs are
// collapsed as a browser collapses white space; block elements end a
// paragraph. Whitespace is tracked by the output's last character.

struct HtmlDocFree {
  void operator()(xmlDoc* doc) const { Lib().free_doc(doc); }
};

bool IsName(const xmlNode* node, const char* name) {
  return node->name && std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

bool IsBlock(const xmlNode* node) {
  static const char* const kBlocks[] = {"p",  "div", "blockquote", "li", "ul", "ol", "pre", "h1",
                                        "h2", "h3",  "h4",         "h5", "h6", "table", "tr", "hr"};
  for (const char* name : kBlocks) {
    if (IsName(node, name)) return true;
  }
  return false;
}

// The URLs a comment link may keep; kiln's renderer filters again.
bool IsSafeHref(const std::string& href) {
  auto starts = [&](const char* prefix) {
    return href.size() >= std::strlen(prefix) && strncasecmp(href.c_str(), prefix, std::strlen(prefix)) == 0;
  };
  return starts("http://") || starts("https://") || starts("mailto:");
}

// A link destination in <...> form: spaces and angle brackets percent-encoded.
std::string LinkDestination(const std::string& href) {
  std::string out;
  for (char c : href) {
    if (c == ' ') out += "%20";
    else if (c == '<') out += "%3C";
    else if (c == '>') out += "%3E";
    else if (c == '\n' || c == '\r') continue;
    else out += c;
  }
  return out;
}

class Writer {
 public:
  void Text(std::string_view text) {
    for (char c : text) {
      const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
      if (space) {
        pending_space_ = true;
        continue;
      }
      if (pending_space_ && !AtLineStart()) out_ += ' ';
      pending_space_ = false;
      const size_t before = out_.size();
      out_ += EscapeMarkdownText(std::string_view(&c, 1));
      // Line-start markers: a list item, a quote, a heading or a rule.
      const size_t line = LineStart();
      if (before == line && (c == '-' || c == '+' || c == '=')) out_.insert(before, "\\");
      // "1." or "1)" at the start of a line would open an ordered list.
      if ((c == '.' || c == ')') && before > line &&
          out_.find_first_not_of("0123456789", line) == before) {
        out_.insert(before, "\\");
      }
    }
  }
  void LineBreak() {
    if (out_.empty() || AtLineStart()) return;
    out_ += "\\\n";
    pending_space_ = false;
  }
  void ParagraphBreak() {
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == '\\')) out_.pop_back();
    if (!out_.empty()) out_ += "\n\n";
    pending_space_ = false;
  }
  void Raw(std::string_view text) {
    if (pending_space_ && !AtLineStart()) out_ += ' ';
    pending_space_ = false;
    out_ += text;
  }
  size_t size() const { return out_.size(); }
  std::string Finish() {
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == '\\' || out_.back() == ' ')) out_.pop_back();
    return out_;
  }

 private:
  size_t LineStart() const {
    size_t nl = out_.rfind('\n');
    return nl == std::string::npos ? 0 : nl + 1;
  }
  bool AtLineStart() const { return out_.empty() || out_.back() == '\n'; }

  std::string out_;
  bool pending_space_ = false;
};

std::string Attribute(xmlNode* node, const char* name) {
  xmlChar* value = Lib().get_prop(node, reinterpret_cast<const xmlChar*>(name));
  if (!value) return {};
  std::string out(reinterpret_cast<const char*>(value));
  Lib().Free(value);
  return out;
}

// The text inside `node`, its whitespace collapsed (a link's label).
std::string TextOf(xmlNode* node) {
  xmlChar* content = Lib().node_get_content(node);
  if (!content) return {};
  Writer w;
  w.Text(reinterpret_cast<const char*>(content));
  Lib().Free(content);
  return w.Finish();
}

// Called on entering an element; false when its children are to be skipped.
bool Enter(xmlNode* node, Writer* w) {
  if (IsName(node, "script") || IsName(node, "style") || IsName(node, "head")) return false;
  if (IsName(node, "br")) w->LineBreak();
  if (IsBlock(node)) w->ParagraphBreak();
  if (IsName(node, "a")) {
    const std::string href = Attribute(node, "href");
    if (!IsSafeHref(href)) return true;  // its text, without the link
    std::string label = TextOf(node);
    if (label.empty()) label = EscapeMarkdownText(href);
    w->Raw("[" + label + "](<" + LinkDestination(href) + ">)");
    return false;
  }
  return true;
}

}  // namespace

std::string EscapeMarkdownText(std::string_view text) {
  // CommonMark 2.4: any ASCII punctuation may be backslash-escaped. These
  // are the ones that can start or end markdown syntax inside a line ('!'
  // only makes an image before '[', which is escaped).
  static const char kSpecial[] = "\\`*_{}[]<>#|~&";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (std::strchr(kSpecial, c) && c != '\0') out += '\\';
    out += c;
  }
  return out;
}

std::string HtmlToMarkdown(std::string_view html) {
  if (html.empty()) return {};
  // libxml2 takes an int; without libxml2 the text stays text.
  if (html.size() > static_cast<size_t>(INT32_MAX) || !Xml()) return EscapeMarkdownText(html);
  // Not HTML_PARSE_NOBLANKS: the space in "<b>a</b> <i>b</i>" is text.
  const int options = HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING;
  std::unique_ptr<xmlDoc, HtmlDocFree> doc(
      Lib().html_read_memory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", options));
  if (!doc) return EscapeMarkdownText(html);
  Writer w;
  xmlNode* root = Lib().doc_get_root_element(doc.get());
  for (xmlNode* node = root; node;) {
    bool descend = false;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      if (node->content) w.Text(reinterpret_cast<const char*>(node->content));
    } else if (node->type == XML_ELEMENT_NODE) {
      descend = Enter(node, &w) && node->children;
    }
    if (descend) {
      node = node->children;
      continue;
    }
    // Up until a node has a next sibling, closing blocks on the way.
    while (node && node != root && !node->next) {
      node = node->parent;
      if (node && node->type == XML_ELEMENT_NODE && IsBlock(node)) w.ParagraphBreak();
    }
    node = (node && node != root) ? node->next : nullptr;
  }
  return w.Finish();
}

}  // namespace kiln
