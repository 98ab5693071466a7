// libFuzzer target: RenderCommentMarkdown on arbitrary bytes. Aborts when the
// output could run script (SPEC.md, "Comments"): a <script tag, an event
// handler attribute inside a tag, or a javascript:/vbscript:/data: URL in an
// href or src; or when it would load an image or show a heading above h4
// (render/comment_markdown.h).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "render/comment_markdown.h"

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

bool Space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/'; }

// Walks the attributes of one tag as a browser parses them (name, optional
// =value quoted with " or ' or unquoted) and checks each.
void CheckTag(std::string_view tag, const std::string& html) {
  if (tag.substr(0, 4) == "<!--" || tag.substr(0, 2) == "</") return;
  size_t i = tag.find_first_of(" \t\n/>", 1);
  while (i < tag.size() && tag[i] != '>') {
    while (i < tag.size() && Space(tag[i])) ++i;
    size_t start = i;
    while (i < tag.size() && !Space(tag[i]) && tag[i] != '=' && tag[i] != '>') ++i;
    std::string name = Lower(tag.substr(start, i - start));
    std::string_view value;
    while (i < tag.size() && Space(tag[i])) ++i;
    if (i < tag.size() && tag[i] == '=') {
      ++i;
      while (i < tag.size() && Space(tag[i])) ++i;
      if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
        char quote = tag[i++];
        size_t end = tag.find(quote, i);
        value = tag.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
        i = end == std::string_view::npos ? tag.size() : end + 1;
      } else {
        size_t end = tag.find_first_of(" \t\n>", i);
        value = tag.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
        i = end == std::string_view::npos ? tag.size() : end;
      }
    }
    if (name.empty() && start == i) ++i;
    if (name.size() > 2 && name.compare(0, 2, "on") == 0) Fail("event handler", html);
    if (name == "href" || name == "src") {
      std::string url = BrowserView(value);
      for (const char* scheme : {"javascript:", "vbscript:", "data:"}) {
        if (url.rfind(scheme, 0) == 0) Fail(scheme, html);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string html =
      kiln::RenderCommentMarkdown(std::string_view(reinterpret_cast<const char*>(data), size));
  const std::string lower = Lower(html);
  if (lower.find("<script") != std::string::npos) Fail("<script", html);
  if (lower.find("<img") != std::string::npos) Fail("<img", html);
  for (const char* h : {"<h1", "<h2", "<h3"}) {
    if (lower.find(h) != std::string::npos) Fail(h, html);
  }
  // cmark escapes every '<' of text, so each '<' here opens markup.
  for (size_t pos = html.find('<'); pos != std::string::npos; pos = html.find('<', pos + 1)) {
    size_t end = html.find('>', pos);
    if (end == std::string::npos) break;
    CheckTag(std::string_view(html).substr(pos, end - pos + 1), html);
  }
  return 0;
}
