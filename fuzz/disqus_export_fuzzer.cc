// libFuzzer target: ParseDisqusExport (libxml2 with kiln's options, then the
// HTML of each message through HtmlToMarkdown) on arbitrary bytes. Must
// never crash, hang or trip a sanitizer; every error names the file and a
// line; a parse that succeeds gives comments whose thread is in the file.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "import/disqus_export.h"
#include "import/html_to_markdown.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  kiln::ForeignComments out;
  kiln::Status s = kiln::ParseDisqusExport(bytes, "fuzz.xml", &out);
  if (s.ok()) {
    std::set<std::string> threads;
    for (const auto& t : out.threads) threads.insert(t.id);
    for (const auto& c : out.comments) {
      if (!threads.count(c.thread_id) || c.created_at.size() != 20) std::abort();
    }
  } else if (s.file() != "fuzz.xml" || s.line() < 1) {
    std::abort();
  }
  kiln::HtmlToMarkdown(bytes);  // the same bytes as a message
  return 0;
}
