// The metadata of a post or page: its front matter (load/front_matter_fields.h
// reads YAML, TOML or none), completed from the file name as Jekyll does.
#pragma once

#include <string>
#include <string_view>

#include "load/front_matter_fields.h"
#include "load/site_model.h"
#include "util/status.h"
#include "util/time_zone.h"

namespace kiln {

// Parses a post file's bytes. `source` (the path relative to the site root)
// names the file in errors; its name (the folder's for a bundle's index.md)
// gives what the front matter leaves out, as Jekyll does: a name that starts
// with a date ("2016-03-07-Hello-World.md", one-digit months and days too)
// dates the post (a front-matter `date` wins) and leaves "Hello-World" as
// the title part: slug "hello-world", title "Hello World". Dates without a
// zone are wall-clock times in `zone`.
//
// Keys (others are ignored, so front matter written for Hugo, Jekyll or Zola
// builds): title, date, updated (or lastmod, last_modified_at), tags (plus
// categories and Zola's taxonomies.tags), summary (or excerpt), description,
// slug, draft (or published: false), author (or authors), permalink (or
// Hugo's url, Zola's path), aliases (or redirect_from). Required: a date
// from the front matter or the file name. On success `body` is the markdown.
Status ParsePostFile(const std::string& source, std::string_view bytes, PostMeta* meta,
                     std::string* body, const TimeZone& zone = TimeZone());

// Parses a standalone page: `title` (else made from the file name), `slug`.
Status ParsePageFile(const std::string& source, std::string_view bytes, PageMeta* meta,
                     std::string* body);

}  // namespace kiln
