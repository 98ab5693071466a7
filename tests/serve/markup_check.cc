#include "markup_check.h"

#include <set>
#include <vector>

namespace kiln::test {

std::string CheckMarkup(const std::string& text) {
  static const std::set<std::string> kVoid = {"meta", "br", "hr", "img", "link", "input"};
  std::vector<std::string> open;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '&') {
      size_t semi = text.find(';', i);
      if (semi == std::string::npos || semi - i > 8) return "a bare '&' at " + std::to_string(i);
      i = semi + 1;
      continue;
    }
    if (c == '>') return "a bare '>' at " + std::to_string(i);
    if (c != '<') {
      ++i;
      continue;
    }
    size_t end = i + 1;
    char quote = 0;
    for (; end < text.size(); ++end) {
      if (quote) {
        if (text[end] == quote) quote = 0;
        else if (text[end] == '<') return "a '<' inside an attribute at " + std::to_string(end);
      } else if (text[end] == '"' || text[end] == '\'') {
        quote = text[end];
      } else if (text[end] == '<') {
        return "a '<' inside a tag at " + std::to_string(end);
      } else if (text[end] == '>') {
        break;
      }
    }
    if (end >= text.size()) return "a tag never closed at " + std::to_string(i);
    std::string tag = text.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.starts_with("!")) continue;  // <!DOCTYPE html>
    bool closing = tag.starts_with("/");
    bool self_closing = tag.ends_with("/");
    std::string name = tag.substr(closing ? 1 : 0);
    name = name.substr(0, name.find_first_of(" \t\n/"));
    if (name.empty()) return "an empty tag before " + std::to_string(i);
    if (closing) {
      if (open.empty() || open.back() != name) {
        return "</" + name + "> closes " + (open.empty() ? std::string("nothing") : "<" + open.back() + ">");
      }
      open.pop_back();
    } else if (!self_closing && !kVoid.count(name)) {
      open.push_back(name);
    }
  }
  if (!open.empty()) return "<" + open.back() + "> never closed";
  return "";
}

}  // namespace kiln::test
