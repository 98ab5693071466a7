#include "load/yaml_mistakes.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

namespace kiln {
namespace {

// Implementation details: the text is scanned once, character by
// character, with a flag saying whether a scalar may start at the current
// position. A quoted scalar is then scanned to its closing quote, across
// lines as YAML allows; reaching the end of the text instead is the error.

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

size_t Indent(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// From the quote at lines[*row][*col], moves past its closing quote.
// False when the text ends first.
bool SkipQuoted(const std::vector<std::string_view>& lines, size_t* row, size_t* col) {
  const char quote = lines[*row][*col];
  size_t r = *row, c = *col + 1;
  for (; r < lines.size(); ++r, c = 0) {
    const std::string_view line = lines[r];
    for (; c < line.size(); ++c) {
      if (quote == '"' && line[c] == '\\') {
        ++c;  // an escape; a '\' at the end of a line escapes the line break
        continue;
      }
      if (line[c] != quote) continue;
      if (quote == '\'' && c + 1 < line.size() && line[c + 1] == '\'') {
        ++c;  // '' inside single quotes is one quote
        continue;
      }
      *row = r;
      *col = c + 1;
      return true;
    }
  }
  return false;
}

}  // namespace

bool FindUnterminatedQuote(std::string_view text, int* open_line, int* open_column) {
  const std::vector<std::string_view> lines = Lines(text);
  int flow = 0;  // depth of [ ] and { }
  for (size_t row = 0; row < lines.size(); ++row) {
    bool scalar_start = true;  // a line starts a scalar (or a key)
    for (size_t col = 0; col < lines[row].size(); ++col) {
      const std::string_view line = lines[row];
      const char c = line[col];
      if (IsSpace(c)) continue;
      if (c == '#' && (col == 0 || IsSpace(line[col - 1]))) break;  // a comment
      if (scalar_start && (c == '"' || c == '\'')) {
        const size_t open_row = row, open_col = col;
        if (!SkipQuoted(lines, &row, &col)) {
          *open_line = static_cast<int>(open_row);
          *open_column = static_cast<int>(open_col);
          return true;
        }
        --col;  // the loop's ++col lands just past the closing quote
        scalar_start = false;
        continue;
      }
      if (scalar_start && (c == '|' || c == '>') && flow == 0) {
        // A block scalar: its lines are those indented more than this one.
        const size_t indent = Indent(line);
        while (row + 1 < lines.size() && (Indent(lines[row + 1]) > indent ||
                                          lines[row + 1].find_first_not_of(" \t\r") == std::string_view::npos)) {
          ++row;
        }
        break;
      }
      if (c == '[' || c == '{') {
        if (scalar_start) ++flow;
        continue;  // a scalar may start after the bracket (or it is text)
      }
      if ((c == ']' || c == '}') && flow > 0) {
        --flow;
        scalar_start = false;
        continue;
      }
      const bool marker = c == '-' && (col + 1 == line.size() || IsSpace(line[col + 1]));
      const bool colon = c == ':' && (col + 1 == line.size() || IsSpace(line[col + 1]));
      scalar_start = (scalar_start && marker) || colon || (c == ',' && flow > 0);
    }
  }
  return false;
}

bool IsQuotedScalarAt(const YAML::Node& root, int line, int column) {
  std::vector<YAML::Node> stack{root};
  while (!stack.empty()) {
    YAML::Node node = stack.back();
    stack.pop_back();
    if (node.IsScalar()) {
      // yaml-cpp tags a quoted scalar "!" (non-specific), a plain one "?".
      if (node.Mark().line == line && node.Mark().column == column && node.Tag() == "!") return true;
    } else if (node.IsSequence()) {
      for (const auto& item : node) stack.push_back(item);
    } else if (node.IsMap()) {
      for (const auto& entry : node) {
        stack.push_back(entry.first);
        stack.push_back(entry.second);
      }
    }
  }
  return false;
}

bool FindDuplicateKey(const YAML::Node& map, int* first_line, int* second_line, std::string* key) {
  std::map<std::string, int> seen;
  for (const auto& entry : map) {
    if (!entry.first.IsScalar()) continue;
    const int line = entry.first.Mark().line;
    auto [it, inserted] = seen.emplace(entry.first.Scalar(), line);
    if (!inserted) {
      *first_line = it->second;
      *second_line = line;
      *key = it->first;
      return true;
    }
  }
  return false;
}

}  // namespace kiln
