// libxml2, opened the first time `kiln import disqus` parses a file,
// instead of linked into the binary (as util/curl_library.h does for
// libcurl). Linked, Debian's libxml2.so.2 adds three libraries (libxml2,
// liblzma, libz) to the start-up of every kiln process (a no-op build, a
// `kiln comment add`): 4 to 7 ms each, measured with it preloaded into
// `kiln --version`, for a command most sites run once.
//
// The functions are looked up by name and called through this table; the
// types and constants still come from libxml2's headers.
#pragma once

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <string>

namespace kiln {

#define KILN_XML_FUNCTIONS(X)                       \
  X(init_parser, xmlInitParser)                     \
  X(new_parser_ctxt, xmlNewParserCtxt)              \
  X(free_parser_ctxt, xmlFreeParserCtxt)            \
  X(ctxt_read_memory, xmlCtxtReadMemory)            \
  X(ctxt_get_last_error, xmlCtxtGetLastError)       \
  X(stop_parser, xmlStopParser)                     \
  X(free_doc, xmlFreeDoc)                           \
  X(doc_get_root_element, xmlDocGetRootElement)     \
  X(get_line_no, xmlGetLineNo)                      \
  X(node_get_content, xmlNodeGetContent)            \
  X(get_prop, xmlGetProp)                           \
  X(html_read_memory, htmlReadMemory)

struct XmlLibrary {
#define KILN_XML_MEMBER(member, symbol) decltype(&::symbol) member = nullptr;
  KILN_XML_FUNCTIONS(KILN_XML_MEMBER)
#undef KILN_XML_MEMBER
  // libxml2's xmlFree is a variable holding the deallocator, not a function.
  xmlFreeFunc* free_function = nullptr;

  void Free(void* p) const { (*free_function)(p); }
};

// The loaded library, xmlInitParser already called; nullptr when
// libxml2.so.2 (Debian's libxml2) cannot be opened or lacks a symbol, with
// `*error` saying which. Thread-safe; the library stays loaded.
const XmlLibrary* Xml(std::string* error = nullptr);

}  // namespace kiln
