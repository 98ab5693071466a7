// libFuzzer target: ParsePostFile and ParsePageFile on arbitrary bytes.
// Must never crash, hang or trip a sanitizer; a successful parse must give a
// valid slug and a non-empty title.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "load/front_matter.h"
#include "util/strings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  kiln::PostMeta post;
  std::string body;
  kiln::Status s = kiln::ParsePostFile("content/posts/fuzz.md", bytes, &post, &body);
  if (s.ok()) {
    if (!kiln::IsValidSlug(post.slug) || kiln::Trim(post.title).empty()) std::abort();
    if (kiln::BodyOf(bytes) != body) std::abort();
  } else if (s.file() != "content/posts/fuzz.md" || s.line() < 1) {
    std::abort();  // every error names the file and a line
  }
  kiln::PageMeta page;
  kiln::ParsePageFile("content/fuzz.md", bytes, &page, nullptr);
  return 0;
}
