#include "render/comment_html_check.h"

#include <cctype>
#include <cstdlib>
#include <regex>
#include <set>
#include <utility>

namespace kiln::test {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Decodes &#NN;, &#xHH; and the few named entities that could hide a
// scheme, so that a URL hidden in entities is seen as a browser sees it.
long EntityCode(const std::string& ent) {
  if (ent.size() > 1 && ent[0] == '#') {
    bool hex = ent[1] == 'x' || ent[1] == 'X';
    return std::strtol(ent.c_str() + (hex ? 2 : 1), nullptr, hex ? 16 : 10);
  }
  if (ent == "amp") return '&';
  if (ent == "lt") return '<';
  if (ent == "gt") return '>';
  if (ent == "quot") return '"';
  if (ent == "colon") return ':';
  if (ent == "Tab") return '\t';
  return -1;
}

std::string DecodeEntities(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    size_t semi = s[i] == '&' ? s.find(';', i) : std::string::npos;
    long code = semi != std::string::npos && semi - i <= 10 ? EntityCode(s.substr(i + 1, semi - i - 1)) : -1;
    if (code < 0 || code > 0x7f) {
      out += s[i];
      continue;
    }
    out += static_cast<char>(code);
    i = semi;
  }
  return out;
}

bool Space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/'; }

// The attributes of one tag as a browser parses them: name, then an
// optional =value, quoted with " or ' or unquoted.
std::vector<std::pair<std::string, std::string>> Attributes(const std::string& tag) {
  std::vector<std::pair<std::string, std::string>> attrs;
  size_t i = tag.find_first_of(" \t\n/>", 1);
  while (i < tag.size() && tag[i] != '>') {
    while (i < tag.size() && Space(tag[i])) ++i;
    size_t start = i;
    while (i < tag.size() && !Space(tag[i]) && tag[i] != '=' && tag[i] != '>') ++i;
    std::string name = tag.substr(start, i - start), value;
    while (i < tag.size() && Space(tag[i])) ++i;
    if (i < tag.size() && tag[i] == '=') {
      ++i;
      while (i < tag.size() && Space(tag[i])) ++i;
      if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
        char quote = tag[i++];
        size_t end = tag.find(quote, i);
        value = tag.substr(i, end - i);
        i = end == std::string::npos ? tag.size() : end + 1;
      } else {
        size_t end = tag.find_first_of(" \t\n>", i);
        value = tag.substr(i, end - i);
        i = end == std::string::npos ? tag.size() : end;
      }
    }
    if (!name.empty()) {
      attrs.emplace_back(Lower(name), value);
    } else if (start == i) {
      ++i;
    }
  }
  return attrs;
}

std::string TagViolations(const std::string& tag) {
  static const std::set<std::string> kUrlAttrs = {"href", "src", "action", "formaction", "data",
                                                   "xlink:href", "srcset", "poster", "background"};
  static const std::set<std::string> kAllowedTags = {
      "p", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li", "h4", "h5", "h6",
      "hr", "br", "del", "table", "thead", "tbody", "tr", "th", "td", "input",
      "span"};  // highlighted code: class="hl-…" only (below)
  std::string problems;
  std::string name = Lower(tag.substr(1, tag.find_first_of(" \t\n>/", 1) - 1));
  if (!kAllowedTags.count(name)) problems += "tag " + tag + "; ";
  if (name == "span" && !std::regex_match(tag, std::regex(R"(<span class="hl-[a-z]+">)"))) {
    problems += "span other than highlighted code: " + tag + "; ";
  }
  for (const auto& [attr, value] : Attributes(tag)) {
    if (attr.size() > 2 && attr.rfind("on", 0) == 0) problems += "event handler in " + tag + "; ";
    if (attr == "style") problems += "style in " + tag + "; ";
    if (!kUrlAttrs.count(attr)) continue;
    std::string url = BrowserView(value);
    for (const char* scheme : {"javascript:", "vbscript:", "data:", "file:"}) {
      if (url.rfind(scheme, 0) == 0) problems += std::string(scheme) + " in " + tag + "; ";
    }
  }
  return problems;
}

}  // namespace

std::vector<std::string> Tags(const std::string& html) {
  std::vector<std::string> tags;
  static const std::regex kTag("<[!/a-zA-Z][^>]*>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kTag); it != std::sregex_iterator();
       ++it) {
    tags.push_back(it->str());
  }
  return tags;
}

std::string BrowserView(const std::string& url) {
  std::string cleaned;
  for (unsigned char c : DecodeEntities(url)) {
    if (c > 0x20 && c != 0x7f) cleaned += static_cast<char>(std::tolower(c));
  }
  return cleaned;
}

std::string CommentHtmlViolations(const std::string& html) {
  std::string problems;
  if (Lower(html).find("<script") != std::string::npos) problems += "<script; ";
  for (const std::string& tag : Tags(html)) {
    if (tag.rfind("<!--", 0) == 0 || tag[1] == '/') continue;
    problems += TagViolations(tag);
  }
  return problems;
}

}  // namespace kiln::test
