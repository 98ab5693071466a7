#include "render/template_error.h"

#include <algorithm>
#include <cctype>

namespace kiln {
namespace {

// Finds kainjow's " at N" suffix: true with the message before it and N.
bool SplitOffset(const std::string& message, std::string* head, size_t* offset) {
  const size_t at = message.rfind(" at ");
  if (at == std::string::npos || at + 4 == message.size()) return false;
  const std::string digits = message.substr(at + 4);
  if (!std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); })) return false;
  if (digits.size() > 18) return false;
  *head = message.substr(0, at);
  *offset = std::stoull(digits);
  return true;
}

}  // namespace

std::string WithoutOffset(const std::string& message) {
  std::string head;
  size_t offset;
  return SplitOffset(message, &head, &offset) ? head : message;
}

Status TemplateSyntaxError(const std::string& message, const std::string& file, std::string_view text) {
  std::string head;
  size_t offset;
  if (!SplitOffset(message, &head, &offset)) return Status::Invalid(message, file);
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  // Characters, not bytes: a UTF-8 continuation byte starts no character.
  const std::string_view on_line = before.substr(line_start);
  const size_t column = 1 + std::count_if(on_line.begin(), on_line.end(),
                                          [](unsigned char c) { return (c & 0xC0) != 0x80; });
  return Status::Invalid(head + " (column " + std::to_string(column) + ")", file, line);
}

}  // namespace kiln
