// libFuzzer target: RenderCommentMarkdown on arbitrary bytes. Aborts when the
// output could run script (SPEC.md, "Comments"): a <script tag, an event
// handler attribute inside a tag, or a javascript:/vbscript:/data: URL in an
// href or src.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "render/markdown.h"

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// As a browser reads an attribute value: the entities cmark emits decoded,
// whitespace and control bytes dropped, lower case.
std::string BrowserView(std::string_view value) {
  std::string decoded;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '&') {
      size_t semi = value.find(';', i);
      if (semi != std::string_view::npos && semi - i < 12) {
        std::string ent(value.substr(i + 1, semi - i - 1));
        long code = -1;
        if (ent == "amp") code = '&';
        else if (ent == "quot") code = '"';
        else if (ent == "lt") code = '<';
        else if (ent == "gt") code = '>';
        else if (ent.size() > 1 && ent[0] == '#')
          code = (ent[1] == 'x' || ent[1] == 'X') ? std::strtol(ent.c_str() + 2, nullptr, 16)
                                                  : std::strtol(ent.c_str() + 1, nullptr, 10);
        if (code >= 0 && code < 0x80) {
          decoded += static_cast<char>(code);
          i = semi;
          continue;
        }
      }
    }
    decoded += value[i];
  }
  std::string out;
  for (unsigned char c : decoded) {
    if (c > 0x20 && c != 0x7f) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

void Fail(const char* what, const std::string& html) {
  std::fprintf(stderr, "UNSAFE COMMENT OUTPUT (%s):\n%s\n", what, html.c_str());
  std::abort();
}

void CheckTag(std::string_view tag, const std::string& html) {
  if (tag.substr(0, 4) == "<!--") return;
  std::string lower = Lower(tag);
  for (size_t i = 1; i + 3 < lower.size(); ++i) {
    // " on" + letters + "=": an event handler attribute.
    if ((lower[i - 1] == ' ' || lower[i - 1] == '\t' || lower[i - 1] == '\n' ||
         lower[i - 1] == '/') && lower[i] == 'o' && lower[i + 1] == 'n') {
      size_t j = i + 2;
      while (j < lower.size() && std::isalpha(static_cast<unsigned char>(lower[j]))) ++j;
      while (j < lower.size() && lower[j] == ' ') ++j;
      if (j > i + 2 && j < lower.size() && lower[j] == '=') Fail("event handler", html);
    }
  }
  for (const char* attr : {" href=\"", " src=\""}) {
    size_t pos = lower.find(attr);
    if (pos == std::string::npos) continue;
    size_t start = pos + std::string_view(attr).size();
    size_t end = lower.find('"', start);
    std::string url = BrowserView(std::string_view(tag).substr(start, end - start));
    for (const char* scheme : {"javascript:", "vbscript:", "data:"}) {
      if (url.rfind(scheme, 0) == 0) Fail(scheme, html);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string html =
      kiln::RenderCommentMarkdown(std::string_view(reinterpret_cast<const char*>(data), size));
  if (Lower(html).find("<script") != std::string::npos) Fail("<script", html);
  // cmark escapes every '<' of text, so each '<' here opens markup.
  for (size_t pos = html.find('<'); pos != std::string::npos; pos = html.find('<', pos + 1)) {
    size_t end = html.find('>', pos);
    if (end == std::string::npos) break;
    CheckTag(std::string_view(html).substr(pos, end - pos + 1), html);
  }
  return 0;
}
