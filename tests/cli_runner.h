// Runs the real `kiln` binary for tests that check what users of the
// command line see: exit status, stdout, stderr. (main_test.cc keeps its
// own copy with KILN_NOW set; this one leaves the environment alone.)
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace kiln::testing {

struct KilnRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// `kiln ARGS` through the shell; ARGS are quoted by the caller.
inline KilnRun RunKiln(const std::string& args) {
  // One stderr file per call: CTest runs tests in parallel processes.
  std::string err_file = (std::filesystem::temp_directory_path() / "kiln-run-stderr-XXXXXX").string();
  int fd = ::mkstemp(err_file.data());
  if (fd >= 0) ::close(fd);
  std::string cmd = std::string("'") + KILN_BINARY + "' " + args + " 2>'" + err_file + "'";
  KilnRun run;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return run;
  std::array<char, 4096> buf;
  for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;) run.out.append(buf.data(), n);
  int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  run.err.assign(std::istreambuf_iterator<char>(in), {});
  std::filesystem::remove(err_file);
  return run;
}

// " --site 'ROOT'".
inline std::string SiteFlag(const std::filesystem::path& root) {
  return " --site '" + root.string() + "'";
}

}  // namespace kiln::testing
