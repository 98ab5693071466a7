// Reads a Disqus export (Admin > Community > Export: one XML file, the
// root <disqus>, then <category>, <thread dsq:id> and <post dsq:id>
// elements) into ForeignComments. A thread gives its <link> and <title>; a
// post its <message> (HTML, converted by import/html_to_markdown.h),
// <createdAt>, <author><name>/<email>, <isDeleted>, <isSpam>,
// <thread dsq:id> and, for a reply, <parent dsq:id>.
//
// Hostile input: the file is parsed by libxml2 with the network off, no
// external DTD loaded and no entity substituted, and a DOCTYPE is refused
// before its first declaration is read (Disqus writes none), so external
// entities and entity expansion ("billion laughs") cannot happen. Nesting
// deeper than libxml2's default limit (256) is an error.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "import/foreign_comments.h"
#include "util/status.h"

namespace kiln {

// Reads `file`. Errors are Status::Invalid naming the file and the line of
// the mistake (malformed XML, a DOCTYPE, a post without an id or a known
// thread, a bad date); then `*out` is unspecified.
Status ReadDisqusExport(const std::filesystem::path& file, ForeignComments* out);

// The same on bytes already read; `file` is only used in messages.
Status ParseDisqusExport(std::string_view xml, const std::string& file, ForeignComments* out);

}  // namespace kiln
