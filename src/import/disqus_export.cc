#include "import/disqus_export.h"

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>

#include "import/html_to_markdown.h"
#include "import/xml_library.h"
#include "util/fs.h"
#include "util/strings.h"
#include "util/time_format.h"

namespace kiln {
namespace {

// Only called once Xml() has loaded (the entry points check).
const XmlLibrary& X() { return *Xml(); }

// Implementation details: libxml2 builds the whole tree (exports of a blog
// are megabytes, not gigabytes), then the elements kiln reads are picked
// out by local name, whatever namespace prefix the file uses. The DOCTYPE
// refusal hooks the SAX internalSubset callback, which libxml2 calls at
// "<!DOCTYPE" before reading any declaration inside it.

// libxml2 2.9 options: no XML_PARSE_NOENT (entities stay references), no
// XML_PARSE_DTDLOAD / DTDATTR (no external subset), no XML_PARSE_HUGE
// (the default depth and size limits hold). BIG_LINES: line numbers past
// 65535 are real ones.
constexpr int kParseOptions =
    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES;

struct ParserFree {
  void operator()(xmlParserCtxt* ctxt) const { X().free_parser_ctxt(ctxt); }
};
struct ExportDocFree {
  void operator()(xmlDoc* doc) const { X().free_doc(doc); }
};

struct ParseState {
  int doctype_line = 0;
};

void RefuseDoctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxt*>(ctx);
  auto* state = static_cast<ParseState*>(ctxt->_private);
  state->doctype_line = ctxt->input ? ctxt->input->line : 1;
  X().stop_parser(ctxt);
}

bool Is(const xmlNode* node, const char* name) {
  return node && node->type == XML_ELEMENT_NODE &&
         std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

int NodeLine(const xmlNode* node) { return static_cast<int>(X().get_line_no(node)); }

xmlNode* Child(xmlNode* node, const char* name) {
  for (xmlNode* c = node->children; c; c = c->next) {
    if (Is(c, name)) return c;
  }
  return nullptr;
}

std::string NodeText(xmlNode* node) {
  if (!node) return {};
  xmlChar* content = X().node_get_content(node);
  if (!content) return {};
  std::string out(reinterpret_cast<const char*>(content));
  X().Free(content);
  return out;
}

std::string ChildText(xmlNode* node, const char* name) { return Trim(NodeText(Child(node, name))); }

// dsq:id (xmlGetProp matches the local name whatever the prefix).
std::string DsqId(xmlNode* node) {
  if (!node) return {};
  xmlChar* value = X().get_prop(node, reinterpret_cast<const xmlChar*>("id"));
  if (!value) return {};
  std::string out = Trim(reinterpret_cast<const char*>(value));
  X().Free(value);
  return out;
}

bool IsTrue(xmlNode* node, const char* name) { return ChildText(node, name) == "true"; }

class ExportReader {
 public:
  ExportReader(std::string file, ForeignComments* out) : file_(std::move(file)), out_(out) {}

  Status Read(xmlNode* root) {
    if (!Is(root, "disqus")) {
      return Status::Invalid("not a Disqus export: the root element is not <disqus>", file_, NodeLine(root));
    }
    for (xmlNode* node = root->children; node; node = node->next) {
      if (Is(node, "thread")) KILN_RETURN_IF_ERROR(ReadThread(node));
    }
    for (xmlNode* node = root->children; node; node = node->next) {
      if (Is(node, "post")) KILN_RETURN_IF_ERROR(ReadPost(node));
    }
    return Status::Ok();
  }

 private:
  Status Error(xmlNode* node, const std::string& message) { return Status::Invalid(message, file_, NodeLine(node)); }

  Status ReadThread(xmlNode* node) {
    ForeignThread t;
    t.id = DsqId(node);
    if (t.id.empty()) return Error(node, "<thread> without a dsq:id");
    t.url = ChildText(node, "link");
    t.title = ChildText(node, "title");
    if (!thread_lines_.emplace(t.id, NodeLine(node)).second) {
      return Error(node, "thread dsq:id " + t.id + " appears twice (first on line " +
                             std::to_string(thread_lines_[t.id]) + ")");
    }
    out_->threads.push_back(std::move(t));
    return Status::Ok();
  }

  Status ReadPost(xmlNode* node) {
    ForeignComment c;
    c.id = DsqId(node);
    if (c.id.empty()) return Error(node, "<post> without a dsq:id");
    if (!post_lines_.emplace(c.id, NodeLine(node)).second) {
      return Error(node, "post dsq:id " + c.id + " appears twice (first on line " +
                             std::to_string(post_lines_[c.id]) + ")");
    }
    xmlNode* thread = Child(node, "thread");
    c.thread_id = DsqId(thread);
    if (!thread_lines_.count(c.thread_id)) {
      return Error(thread ? thread : node, "post " + c.id + " names no thread of this file (<thread dsq:id=\"" +
                                               c.thread_id + "\">)");
    }
    c.parent_id = DsqId(Child(node, "parent"));
    xmlNode* author = Child(node, "author");
    if (author) {
      c.author = ChildText(author, "name");
      c.email = ChildText(author, "email");
    }
    c.body = HtmlToMarkdown(NodeText(Child(node, "message")));
    KILN_RETURN_IF_ERROR(ReadDate(node, &c.created_at));
    c.status = IsTrue(node, "isDeleted") ? ForeignStatus::kDeleted
               : IsTrue(node, "isSpam")  ? ForeignStatus::kSpam
                                         : ForeignStatus::kPublished;
    out_->comments.push_back(std::move(c));
    return Status::Ok();
  }

  // Disqus writes "2014-09-15T10:00:00Z"; a time without a zone is UTC.
  Status ReadDate(xmlNode* post, std::string* out) {
    xmlNode* node = Child(post, "createdAt");
    if (!node) return Error(post, "<post> without <createdAt>");
    int64_t seconds = 0;
    bool has_zone = false;
    const std::string text = Trim(NodeText(node));
    if (!ParseIsoDate(text, &seconds, &has_zone)) {
      return Error(node, "bad <createdAt> '" + text + "' (expected 2014-09-15T10:00:00Z)");
    }
    *out = FormatRfc3339(seconds);
    return Status::Ok();
  }

  std::string file_;
  ForeignComments* out_;
  std::map<std::string, int> thread_lines_;
  std::map<std::string, int> post_lines_;
};

std::string LibxmlMessage(const xmlError* error) {
  std::string message = error && error->message ? error->message : "unreadable XML";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

}  // namespace

Status ParseDisqusExport(std::string_view xml, const std::string& file, ForeignComments* out) {
  *out = ForeignComments{};
  out->source = "disqus";
  if (xml.size() > static_cast<size_t>(INT32_MAX)) return Status::Invalid("too large for one import (2 GB)", file);
  std::string error;
  if (!Xml(&error)) return Status::Io(error, file);
  std::unique_ptr<xmlParserCtxt, ParserFree> ctxt(X().new_parser_ctxt());
  if (!ctxt) return Status::Io("out of memory reading XML", file);
  ParseState state;
  ctxt->_private = &state;
  ctxt->sax->internalSubset = RefuseDoctype;
  std::unique_ptr<xmlDoc, ExportDocFree> doc(X().ctxt_read_memory(ctxt.get(), xml.data(), static_cast<int>(xml.size()),
                                                         nullptr, nullptr, kParseOptions));
  if (state.doctype_line > 0) {
    return Status::Invalid("a DOCTYPE is not allowed in a Disqus export (entities are not expanded)", file,
                           state.doctype_line);
  }
  if (!doc || !ctxt->wellFormed) {
    const xmlError* error = X().ctxt_get_last_error(ctxt.get());
    return Status::Invalid("malformed XML: " + LibxmlMessage(error), file, error && error->line > 0 ? error->line : 1);
  }
  return ExportReader(file, out).Read(X().doc_get_root_element(doc.get()));
}

Status ReadDisqusExport(const std::filesystem::path& file, ForeignComments* out) {
  std::string bytes;
  KILN_RETURN_IF_ERROR(ReadFile(file, &bytes));
  return ParseDisqusExport(bytes, file.string(), out);
}

}  // namespace kiln
