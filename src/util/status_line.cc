#include "util/status_line.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace kiln {

bool StatusLine::IsSmartTerminal(int fd) {
  if (!::isatty(fd)) return false;
  const char* term = std::getenv("TERM");
  return term && *term && std::strcmp(term, "dumb") != 0;
}

void StatusLine::Draw(std::string_view text) {
  // One column is kept free: a character in the last column makes some
  // terminals wrap at once, and the next \r would then redraw one line down.
  struct winsize size {};
  if (::ioctl(fd_, TIOCGWINSZ, &size) == 0 && size.ws_col > 1 && text.size() >= size.ws_col) {
    text = text.substr(0, size.ws_col - 1);  // the text is ASCII: bytes are columns
  }
  std::string line = "\r";
  line += text;
  line += "\x1b[K";
  WriteAll(line);
  drawn_ = true;
}

void StatusLine::Clear() {
  if (!drawn_) return;
  WriteAll("\r\x1b[K");
  drawn_ = false;
}

// A progress line is worth no error handling: a short or failed write to
// a closed terminal is dropped.
void StatusLine::WriteAll(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace kiln
