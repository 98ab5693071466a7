// kainjow's Mustache parser reports a mistake as a byte offset into the text
// it parsed ("Unclosed section \"post\" at 112"). People look for lines:
// this turns the offset into the file's line and column (issue 8).
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace kiln {

// Status::Invalid naming `file` and the line of the offset in `text`
// (1-based, lines split at '\n'), the message without " at N" and with the
// column added: `Unclosed section "post" (column 3)`. A message without an
// offset is kept as it is, with no line.
Status TemplateSyntaxError(const std::string& message, const std::string& file, std::string_view text);

// `message` without kainjow's trailing " at N".
std::string WithoutOffset(const std::string& message);

}  // namespace kiln
