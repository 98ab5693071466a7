// One line of a terminal that is redrawn in place, as ninja's LinePrinter
// does for "[12/345] CXX foo.o": a carriage return, the text cut to the
// terminal's width (a wrapped line could not be taken back), and "erase to
// the end of the line". Clear() leaves the cursor at the start of an empty
// line, so what is printed next looks as if the line had never been there.
#pragma once

#include <string>
#include <string_view>

namespace kiln {

class StatusLine {
 public:
  // Writes to `fd`; nothing is drawn until Draw().
  explicit StatusLine(int fd) : fd_(fd) {}

  // True when `fd` is a terminal that understands the escapes: a tty whose
  // TERM is set and not "dumb" (ninja's test, build/line_printer.cc).
  static bool IsSmartTerminal(int fd);

  void Draw(std::string_view text);
  // Erases the line if anything was drawn.
  void Clear();
  bool drawn() const { return drawn_; }

 private:
  void WriteAll(std::string_view bytes);
  int fd_;
  bool drawn_ = false;
};

}  // namespace kiln
