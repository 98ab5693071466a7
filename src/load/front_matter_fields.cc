#include "load/front_matter_fields.h"

#include <toml++/toml.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "load/yaml_mistakes.h"
#include "util/strings.h"

namespace kiln {
namespace {

// Implementation details: yaml-cpp and toml++ throw; every call into them
// happens inside the try blocks below. Both count lines from the start of
// the block they are given, which is the file's second line.

constexpr int kBlockFirstLine = 2;

struct Block {
  FrontMatterKind kind = FrontMatterKind::kNone;
  std::string_view text;  // between the fences
  std::string_view body;
  bool unclosed = false;
};

// A fence line: the marker, then nothing but spaces, tabs or a '\r'.
bool IsFence(std::string_view line, std::string_view marker) {
  if (!StartsWith(line, marker)) return false;
  for (char c : line.substr(marker.size())) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

std::string_view FirstLine(std::string_view bytes) {
  size_t end = bytes.find('\n');
  return end == std::string_view::npos ? bytes : bytes.substr(0, end);
}

Block SplitBlock(std::string_view bytes) {
  Block block;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);  // UTF-8 BOM
  block.body = bytes;
  const std::string_view first = FirstLine(bytes);
  if (first.size() == bytes.size()) return block;  // one line: no block can close
  std::string_view close_a, close_b;
  if (IsFence(first, "---")) {
    block.kind = FrontMatterKind::kYaml;
    close_a = "---";
    close_b = "...";
  } else if (IsFence(first, "+++")) {
    block.kind = FrontMatterKind::kToml;
    close_a = close_b = "+++";
  } else {
    return block;
  }
  const size_t start = first.size() + 1;
  for (size_t pos = start; pos <= bytes.size();) {
    size_t end = bytes.find('\n', pos);
    std::string_view line = bytes.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (IsFence(line, close_a) || IsFence(line, close_b)) {
      block.text = bytes.substr(start, pos - start);
      block.body = end == std::string_view::npos ? std::string_view() : bytes.substr(end + 1);
      return block;
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  block.unclosed = true;
  return block;
}

// The offset in `text` of its 0-based line `line`.
size_t LineOffset(std::string_view text, int line) {
  size_t pos = 0;
  for (int i = 0; i < line && pos != std::string_view::npos; ++i) {
    pos = text.find('\n', pos);
    if (pos != std::string_view::npos) ++pos;
  }
  return pos == std::string_view::npos ? text.size() : pos;
}

int YamlLine(const YAML::Mark& mark) { return mark.line >= 0 ? mark.line + kBlockFirstLine : 1; }

void AddYaml(const std::string& key, const YAML::Node& node, bool nested, FrontMatterFields* out) {
  FrontMatterValue value;
  value.line = YamlLine(node.Mark());
  if (node.IsScalar()) {
    value.type = FrontMatterValue::Type::kScalar;
    value.scalar = node.Scalar();
  } else if (node.IsSequence()) {
    value.type = FrontMatterValue::Type::kList;
    for (const auto& item : node) {
      if (item.IsScalar()) value.items.push_back(item.Scalar());
      else value.items_are_scalars = false;
    }
  } else if (node.IsMap()) {
    value.type = FrontMatterValue::Type::kTable;
    if (!nested) {
      for (const auto& entry : node) {
        if (entry.first.IsScalar()) AddYaml(key + "." + entry.first.Scalar(), entry.second, true, out);
      }
    }
  }
  (*out)[key] = std::move(value);
}

// The mistakes yaml-cpp accepts (load/yaml_mistakes.h), at their line.
Status CheckYamlMistakes(const std::string& source, std::string_view text, const YAML::Node& root) {
  int line = 0, column = 0;
  if (FindUnterminatedQuote(text, &line, &column) && IsQuotedScalarAt(root, line, column)) {
    const char quote = text[LineOffset(text, line) + column];
    return Status::Invalid(std::string("invalid YAML front matter: a quoted value is never closed (no ") + quote +
                               " after the " + quote + " of column " + std::to_string(column + 1) + ")",
                           source, line + kBlockFirstLine);
  }
  std::vector<YAML::Node> maps{root};
  for (const auto& entry : root) {
    if (entry.second.IsMap()) maps.push_back(entry.second);
  }
  for (const YAML::Node& map : maps) {
    int first = 0, second = 0;
    std::string key;
    if (FindDuplicateKey(map, &first, &second, &key)) {
      return Status::Invalid("invalid YAML front matter: duplicate key '" + key + "' (first on line " +
                                 std::to_string(first + kBlockFirstLine) + ")",
                             source, second + kBlockFirstLine);
    }
  }
  return Status::Ok();
}

Status ReadYaml(const std::string& source, std::string_view text, FrontMatterFields* out) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    if (root.IsNull()) return Status::Ok();
    if (!root.IsMap()) return Status::Invalid("front matter must be a YAML mapping", source, 1);
    KILN_RETURN_IF_ERROR(CheckYamlMistakes(source, text, root));
    for (const auto& entry : root) {
      if (entry.first.IsScalar()) AddYaml(entry.first.Scalar(), entry.second, false, out);
    }
  } catch (const YAML::Exception& e) {
    // yaml-cpp says "illegal block entry" or "end of map not found" for a
    // tab in the indentation; the line it names has the tab: say so.
    std::string hint;
    if (e.mark.line >= 0) {
      const size_t start = LineOffset(text, e.mark.line);
      const std::string_view line = text.substr(start, text.find('\n', start) - start);
      const size_t indent_end = line.find_first_not_of(" \t");
      if (line.substr(0, indent_end).find('\t') != std::string_view::npos) {
        hint = " (a tab in the indentation: YAML indents with spaces)";
      }
    }
    return Status::Invalid("invalid YAML front matter: " + e.msg + hint, source, YamlLine(e.mark));
  }
  return Status::Ok();
}

std::string TomlDate(const toml::date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", int(d.year), int(d.month), int(d.day));
  return buf;
}

std::string TomlTime(const toml::time& t) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", int(t.hour), int(t.minute), int(t.second));
  return buf;
}

// TOML's own dates become the ISO text the YAML path reads.
bool TomlScalar(const toml::node& node, std::string* out) {
  if (auto s = node.value_exact<std::string>()) *out = *s;
  else if (auto b = node.value_exact<bool>()) *out = *b ? "true" : "false";
  else if (auto i = node.value_exact<int64_t>()) *out = std::to_string(*i);
  else if (auto f = node.value_exact<double>()) *out = std::to_string(*f);
  else if (auto d = node.value_exact<toml::date>()) *out = TomlDate(*d);
  else if (auto t = node.value_exact<toml::time>()) *out = TomlTime(*t);
  else if (auto dt = node.value_exact<toml::date_time>()) {
    *out = TomlDate(dt->date) + "T" + TomlTime(dt->time);
    if (dt->offset) {
      const int minutes = dt->offset->minutes;
      char buf[8];
      std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', std::abs(minutes) / 60,
                    std::abs(minutes) % 60);
      *out += minutes == 0 ? "Z" : buf;
    }
  } else {
    return false;
  }
  return true;
}

void AddToml(const std::string& key, const toml::node& node, bool nested, FrontMatterFields* out) {
  FrontMatterValue value;
  value.line = static_cast<int>(node.source().begin.line) + kBlockFirstLine - 1;
  if (TomlScalar(node, &value.scalar)) {
    value.type = FrontMatterValue::Type::kScalar;
  } else if (const toml::array* array = node.as_array()) {
    value.type = FrontMatterValue::Type::kList;
    for (const toml::node& item : *array) {
      std::string text;
      if (TomlScalar(item, &text)) value.items.push_back(std::move(text));
      else value.items_are_scalars = false;
    }
  } else if (const toml::table* table = node.as_table()) {
    value.type = FrontMatterValue::Type::kTable;
    if (!nested) {
      for (auto&& [k, v] : *table) AddToml(key + "." + std::string(k.str()), v, true, out);
    }
  }
  (*out)[key] = std::move(value);
}

Status ReadToml(const std::string& source, std::string_view text, FrontMatterFields* out) {
  try {
    toml::table root = toml::parse(text);
    for (auto&& [key, node] : root) AddToml(std::string(key.str()), node, false, out);
  } catch (const toml::parse_error& e) {
    return Status::Invalid("invalid TOML front matter: " + std::string(e.description()), source,
                           static_cast<int>(e.source().begin.line) + kBlockFirstLine - 1);
  }
  return Status::Ok();
}

// YAML and TOML are text: yaml-cpp reads a NUL as the end of the stream or
// mangles it ("a\0b" became "a\b "), and passes bytes that are not UTF-8
// into titles and so into pages. Both are refused, naming the line.
Status CheckFrontMatterText(const std::string& source, std::string_view text) {
  int line = kBlockFirstLine;
  for (size_t start = 0; start < text.size(); ++line) {
    size_t end = std::min(text.find('\n', start), text.size());
    std::string_view one = text.substr(start, end - start);
    size_t chars;
    if (one.find('\0') != std::string_view::npos) {
      return Status::Invalid("front matter contains a NUL byte", source, line);
    }
    if (!CountUtf8(one, &chars)) return Status::Invalid("front matter is not valid UTF-8", source, line);
    start = end + 1;
  }
  return Status::Ok();
}

}  // namespace

Status ReadFrontMatter(const std::string& source, std::string_view bytes, FrontMatterKind* kind,
                       FrontMatterFields* fields, std::string_view* body) {
  const Block block = SplitBlock(bytes);
  fields->clear();
  *kind = block.kind;
  if (block.unclosed) {
    const char* fence = block.kind == FrontMatterKind::kToml ? "'+++' after the TOML" : "'---' after the YAML";
    return Status::Invalid(std::string("front matter is not closed: no line ") + fence, source, 1);
  }
  *body = block.body;
  KILN_RETURN_IF_ERROR(CheckFrontMatterText(source, block.text));
  if (block.kind == FrontMatterKind::kYaml) return ReadYaml(source, block.text, fields);
  if (block.kind == FrontMatterKind::kToml) return ReadToml(source, block.text, fields);
  return Status::Ok();
}

std::string_view BodyOf(std::string_view bytes) {
  const Block block = SplitBlock(bytes);
  return block.unclosed ? bytes : block.body;
}

}  // namespace kiln
