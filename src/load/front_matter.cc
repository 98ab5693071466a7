#include "load/front_matter.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "load/summary.h"
#include "util/strings.h"
#include "util/time_format.h"

namespace kiln {
namespace {

// Implementation details: yaml-cpp throws; every call into it happens inside
// ParseYaml's try block or on nodes already checked for their type, and its
// 0-based line marks are shifted to file lines (the YAML starts on line 2).

constexpr int kYamlFirstLine = 2;

struct Split {
  std::string_view yaml;
  std::string_view body;
};

// Splits "---\n<yaml>\n---\n<body>". CRLF line ends are accepted.
bool SplitFrontMatter(std::string_view bytes, Split* out) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);  // UTF-8 BOM
  if (!(StartsWith(bytes, "---\n") || StartsWith(bytes, "---\r\n"))) return false;
  size_t start = bytes.find('\n') + 1;
  size_t pos = start;
  while (pos <= bytes.size()) {
    size_t end = bytes.find('\n', pos);
    std::string_view line = bytes.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == "---" || line == "...") {
      out->yaml = bytes.substr(start, pos - start);
      out->body = end == std::string_view::npos ? std::string_view() : bytes.substr(end + 1);
      return true;
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return false;
}

Status YamlError(const std::string& source, const YAML::Mark& mark, const std::string& message) {
  int line = mark.line >= 0 ? mark.line + kYamlFirstLine : 1;
  return Status::Invalid(message, source, line);
}

Status ParseYaml(const std::string& source, std::string_view bytes, YAML::Node* root,
                 std::string_view* body) {
  Split split;
  if (!SplitFrontMatter(bytes, &split)) {
    std::string_view start = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? bytes.substr(3) : bytes;
    if (StartsWith(start, "---\n") || StartsWith(start, "---\r\n")) {
      return Status::Invalid("front matter is not closed: no line '---' after the YAML", source, 1);
    }
    return Status::Invalid("no front matter: the file must start with a line '---', then YAML, "
                           "then a line '---'",
                           source, 1);
  }
  try {
    *root = YAML::Load(std::string(split.yaml));
  } catch (const YAML::Exception& e) {
    return YamlError(source, e.mark, "invalid YAML front matter: " + e.msg);
  }
  if (root->IsNull()) *root = YAML::Node(YAML::NodeType::Map);
  if (!root->IsMap()) return Status::Invalid("front matter must be a YAML mapping", source, 1);
  *body = split.body;
  return Status::Ok();
}

Status ReadScalar(const std::string& source, const YAML::Node& node, const char* key,
                  std::string* out) {
  if (!node.IsScalar()) return YamlError(source, node.Mark(), std::string("'") + key + "' must be text");
  *out = node.Scalar();
  return Status::Ok();
}

Status ReadDate(const std::string& source, const YAML::Node& node, const char* key, int64_t* out) {
  std::string text;
  KILN_RETURN_IF_ERROR(ReadScalar(source, node, key, &text));
  if (!ParseIsoDate(Trim(text), out)) {
    return YamlError(source, node.Mark(),
                     std::string("'") + key + "' is not a date (YYYY-MM-DD or ISO 8601): '" + text + "'");
  }
  return Status::Ok();
}

Status ReadBool(const std::string& source, const YAML::Node& node, const char* key, bool* out) {
  std::string text;
  KILN_RETURN_IF_ERROR(ReadScalar(source, node, key, &text));
  if (text == "true" || text == "True" || text == "yes") *out = true;
  else if (text == "false" || text == "False" || text == "no") *out = false;
  else return YamlError(source, node.Mark(), std::string("'") + key + "' must be true or false");
  return Status::Ok();
}

Status ReadTags(const std::string& source, const YAML::Node& node, std::vector<std::string>* out) {
  std::vector<std::string> raw;
  if (node.IsScalar()) {
    raw.push_back(node.Scalar());  // "tags: news" means one tag
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      if (!item.IsScalar()) return YamlError(source, item.Mark(), "each tag must be text");
      raw.push_back(item.Scalar());
    }
  } else if (!node.IsNull()) {
    return YamlError(source, node.Mark(), "'tags' must be a list of text");
  }
  for (auto& tag : raw) {
    std::string t = Trim(tag);
    for (unsigned char c : t) {
      if (c < 0x20 || c == 0x7f) return YamlError(source, node.Mark(), "tag '" + tag + "' holds a control character");
    }
    if (Slugify(t).empty()) return YamlError(source, node.Mark(), "tag '" + tag + "' has no letters or digits");
    bool seen = false;
    for (const auto& existing : *out) seen = seen || Slugify(existing) == Slugify(t);
    if (!seen) out->push_back(t);
  }
  return Status::Ok();
}

Status ReadSlug(const std::string& source, const YAML::Node& root, std::string* slug) {
  if (root["slug"]) {
    KILN_RETURN_IF_ERROR(ReadScalar(source, root["slug"], "slug", slug));
    if (!IsValidSlug(*slug)) {
      return YamlError(source, root["slug"].Mark(),
                       "'slug' must be lower-case letters, digits, '-', '_' or '.': '" + *slug + "'");
    }
    return Status::Ok();
  }
  *slug = Slugify(std::filesystem::path(source).stem().string());
  if (!IsValidSlug(*slug)) {
    return Status::Invalid("cannot derive a slug from the file name; set 'slug'", source, 1);
  }
  return Status::Ok();
}

Status ReadTitle(const std::string& source, const YAML::Node& root, std::string* title) {
  if (!root["title"]) return Status::Invalid("front matter has no 'title'", source, 1);
  KILN_RETURN_IF_ERROR(ReadScalar(source, root["title"], "title", title));
  if (Trim(*title).empty()) return YamlError(source, root["title"].Mark(), "'title' is empty");
  return Status::Ok();
}

}  // namespace

std::string_view BodyOf(std::string_view bytes) {
  Split split;
  return SplitFrontMatter(bytes, &split) ? split.body : bytes;
}

Status ParsePostFile(const std::string& source, std::string_view bytes, PostMeta* meta,
                     std::string* body) {
  YAML::Node root;
  std::string_view body_view;
  KILN_RETURN_IF_ERROR(ParseYaml(source, bytes, &root, &body_view));
  PostMeta m;
  m.source = source;
  try {
    KILN_RETURN_IF_ERROR(ReadTitle(source, root, &m.title));
    if (!root["date"]) return Status::Invalid("front matter has no 'date'", source, 1);
    KILN_RETURN_IF_ERROR(ReadDate(source, root["date"], "date", &m.date));
    if (root["updated"]) KILN_RETURN_IF_ERROR(ReadDate(source, root["updated"], "updated", &m.updated));
    if (root["tags"]) KILN_RETURN_IF_ERROR(ReadTags(source, root["tags"], &m.tags));
    if (root["draft"]) KILN_RETURN_IF_ERROR(ReadBool(source, root["draft"], "draft", &m.draft));
    if (root["summary"]) KILN_RETURN_IF_ERROR(ReadScalar(source, root["summary"], "summary", &m.summary));
    KILN_RETURN_IF_ERROR(ReadSlug(source, root, &m.slug));
  } catch (const YAML::Exception& e) {
    return YamlError(source, e.mark, "invalid front matter: " + e.msg);
  }
  m.summary = Trim(m.summary);
  if (m.summary.empty()) m.summary = ExtractSummary(body_view);
  m.body_hash = HashBytes(body_view);
  *meta = std::move(m);
  if (body) *body = std::string(body_view);
  return Status::Ok();
}

Status ParsePageFile(const std::string& source, std::string_view bytes, PageMeta* meta,
                     std::string* body) {
  YAML::Node root;
  std::string_view body_view;
  KILN_RETURN_IF_ERROR(ParseYaml(source, bytes, &root, &body_view));
  PageMeta m;
  m.source = source;
  try {
    KILN_RETURN_IF_ERROR(ReadTitle(source, root, &m.title));
    KILN_RETURN_IF_ERROR(ReadSlug(source, root, &m.slug));
  } catch (const YAML::Exception& e) {
    return YamlError(source, e.mark, "invalid front matter: " + e.msg);
  }
  m.body_hash = HashBytes(body_view);
  *meta = std::move(m);
  if (body) *body = std::string(body_view);
  return Status::Ok();
}

}  // namespace kiln
