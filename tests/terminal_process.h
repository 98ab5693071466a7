// Runs the real `kiln` binary with its stderr on a pseudo-terminal, as a
// person at a terminal runs it, for tests of what only a terminal shows
// (the progress line of a long build). stdout goes to a file, so that
// `kiln build --json > report.json` typed at a terminal is what is tested:
// the report and the terminal output are kept apart.
#pragma once

#include <string>
#include <vector>

namespace kiln::testing {

struct TerminalResult {
  int exit_code = -1;    // -1 when the process did not exit normally
  std::string out;       // stdout, exactly as written
  std::string terminal;  // every byte written to the terminal (stderr), escapes included
};

// Runs `binary args…` with stdin and stderr on a new pseudo-terminal, and
// `env` ("NAME=value") replacing or adding to this process's environment
// (TERM=xterm-256color is set unless `env` names TERM). Reads the terminal
// until the process exits; gives up (killing it by its PID) after 120 s.
// With `stop_when`, sends the process SIGTERM (by its PID) once the terminal
// has shown that text: how a person stops `kiln serve` with Ctrl-C.
TerminalResult RunOnTerminal(const std::string& binary, const std::vector<std::string>& args,
                             const std::vector<std::string>& env = {}, const std::string& stop_when = "");

}  // namespace kiln::testing
