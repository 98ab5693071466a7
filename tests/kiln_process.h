// Runs the real `kiln` binary in its own process, as users and scripts do:
// arguments passed as they are (no shell, so bodies with quotes and spaces
// need no escaping), extra environment variables (KILN_NOW), stdout and
// stderr captured. For tests that must go through main.cc.
#pragma once

#include <string>
#include <vector>

namespace kiln::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when the process did not exit normally
  std::string out;     // stdout
  std::string err;     // stderr
};

// The binary the build under test runs: $KILN_PROPTEST_BINARY when set (a
// mutated kiln, see tests/mutation/), else the one built with the tests.
std::string KilnBinaryUnderTest();

// The binary built with the tests (KILN_BINARY), for reference builds.
std::string ReferenceKilnBinary();

// Runs `binary args…` with `env` ("NAME=value") added to this process's
// environment, and waits for it.
ProcessResult RunKiln(const std::string& binary, const std::vector<std::string>& args,
                      const std::vector<std::string>& env = {});

}  // namespace kiln::testing
