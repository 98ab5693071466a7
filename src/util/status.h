// The one error currency of kiln: ok, or an error with a kind, a message and
// the file (and line) it is about. Libraries that throw (SQLiteCpp, yaml-cpp,
// toml++) are caught at the edge of the module that calls them and their
// errors converted here, so nothing above that edge needs try/catch.
#pragma once

#include <string>
#include <utility>

namespace kiln {

class Status {
 public:
  // What went wrong, coarse enough for callers to map to exit codes or HTTP.
  enum class Code {
    kOk,
    kInvalid,   // bad user input: a file, a flag, a comment field
    kNotFound,  // something named does not exist (a post, a comment id)
    kIo,        // the disk or the database failed
    kCorrupt,   // persisted state could not be read
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string message, std::string file = {}, int line = 0) {
    return Status(Code::kInvalid, std::move(message), std::move(file), line);
  }
  static Status NotFound(std::string message, std::string file = {}) {
    return Status(Code::kNotFound, std::move(message), std::move(file), 0);
  }
  static Status Io(std::string message, std::string file = {}) {
    return Status(Code::kIo, std::move(message), std::move(file), 0);
  }
  static Status Corrupt(std::string message, std::string file = {}) {
    return Status(Code::kCorrupt, std::move(message), std::move(file), 0);
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& file() const { return file_; }
  int line() const { return line_; }

  // "file:line: message", "file: message" or "message".
  std::string ToString() const;

 private:
  Status(Code code, std::string message, std::string file, int line)
      : code_(code), message_(std::move(message)), file_(std::move(file)), line_(line) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::string file_;
  int line_ = 0;
};

#define KILN_RETURN_IF_ERROR(expr)      \
  do {                                  \
    ::kiln::Status kiln_status_ = (expr); \
    if (!kiln_status_.ok()) return kiln_status_; \
  } while (0)

}  // namespace kiln
