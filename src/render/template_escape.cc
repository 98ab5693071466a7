#include "render/template_escape.h"

#include <array>
#include <string_view>

namespace kiln {
namespace {

// What replaces each character that is escaped; empty: copied as it is.
constexpr std::array<std::string_view, 256> MakeReplacements() {
  std::array<std::string_view, 256> r{};
  r[static_cast<unsigned char>('&')] = "&amp;";
  r[static_cast<unsigned char>('<')] = "&lt;";
  r[static_cast<unsigned char>('>')] = "&gt;";
  r[static_cast<unsigned char>('"')] = "&quot;";
  r[static_cast<unsigned char>('\'')] = "&apos;";
  return r;
}

constexpr std::array<std::string_view, 256> kReplacements = MakeReplacements();

}  // namespace

std::string EscapeTemplateValue(const std::string& value) {
  const size_t n = value.size();
  size_t i = 0;
  while (i < n && kReplacements[static_cast<unsigned char>(value[i])].empty()) ++i;
  if (i == n) return value;  // the common case: nothing to escape
  std::string out;
  out.reserve(n + n / 8 + 8);
  size_t run = 0;
  for (; i < n; ++i) {
    const std::string_view replacement = kReplacements[static_cast<unsigned char>(value[i])];
    if (replacement.empty()) continue;
    out.append(value, run, i - run);
    out.append(replacement);
    run = i + 1;
  }
  out.append(value, run, n - run);
  return out;
}

}  // namespace kiln
