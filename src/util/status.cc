#include "util/status.h"

namespace kiln {

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out;
  if (!file_.empty()) {
    out = file_;
    if (line_ > 0) out += ":" + std::to_string(line_);
    out += ": ";
  }
  return out + message_;
}

}  // namespace kiln
