// Front matter: the YAML block between two "---" lines at the top of a post
// or page, and the markdown body after it.
#pragma once

#include <string>
#include <string_view>

#include "load/site_model.h"
#include "util/status.h"

namespace kiln {

// Parses a post file's bytes. `source` (the path relative to the site root)
// names the file in errors and gives the default slug. Required: `title`,
// `date`. Optional: `tags`, `summary`, `slug`, `draft`, `updated`. Unknown
// keys are ignored, as Hugo and Jekyll do, so that front matter written for
// another tool still builds. On success `body` is the markdown.
Status ParsePostFile(const std::string& source, std::string_view bytes, PostMeta* meta,
                     std::string* body);

// Parses a standalone page: `title` required, `slug` optional.
Status ParsePageFile(const std::string& source, std::string_view bytes, PageMeta* meta,
                     std::string* body);

// Returns the markdown after the front matter (no validation): used when a
// page that shows the body is rendered, after the metadata was cached.
std::string_view BodyOf(std::string_view bytes);

}  // namespace kiln
