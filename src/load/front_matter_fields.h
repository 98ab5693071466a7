// The front matter block of a content file, read into one neutral shape
// whichever of the peers' spellings it uses (SPEC.md, "A site on disk"):
// YAML between "---" lines (Jekyll, Hugo), TOML between "+++" lines (Hugo,
// Zola), or none at all (Jekyll posts may have none). load/front_matter.cc
// then reads kiln's keys from this shape, so each key is interpreted once.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace kiln {

struct FrontMatterValue {
  enum class Type { kNull, kScalar, kList, kTable };
  Type type = Type::kNull;
  std::string scalar;               // kScalar: as written; TOML dates, numbers, booleans as text
  std::vector<std::string> items;   // kList: its scalar items
  bool items_are_scalars = true;    // false when a list holds a list or a table
  int line = 1;                     // line in the file
};

// Keys of nested tables are flattened one level with a dot, as Zola writes
// tags: `[taxonomies] tags = [...]` gives "taxonomies.tags".
using FrontMatterFields = std::map<std::string, FrontMatterValue>;

enum class FrontMatterKind { kNone, kYaml, kToml };

// Reads the front matter of `bytes` into `fields` and points `body` at the
// markdown after it. A file that does not start with a "---" or "+++" line
// (trailing spaces and CRLF allowed, a UTF-8 BOM skipped) has no front
// matter: all of it is the body. Errors name `source` and the file line: an
// unclosed block, malformed YAML or TOML, a block that is not a mapping.
Status ReadFrontMatter(const std::string& source, std::string_view bytes, FrontMatterKind* kind,
                       FrontMatterFields* fields, std::string_view* body);

// The markdown after the front matter, without parsing it.
std::string_view BodyOf(std::string_view bytes);

}  // namespace kiln
