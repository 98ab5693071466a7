#include "terminal_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <termios.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

extern char** environ;

namespace kiln::testing {
namespace {

// Implementation details: forkpty() gives the child a terminal as its
// controlling tty; the child then points stdout at a temporary file and
// execs. The parent reads the terminal's master side until the child closes
// it (EIO on Linux), so nothing the child wrote is lost, then waits for it.

std::vector<std::string> MergedEnvironment(const std::vector<std::string>& env) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    vars[entry.substr(0, entry.find('='))] = entry;
  }
  vars["TERM"] = "TERM=xterm-256color";
  for (const auto& entry : env) vars[entry.substr(0, entry.find('='))] = entry;
  std::vector<std::string> merged;
  for (auto& [name, entry] : vars) merged.push_back(entry);
  return merged;
}

}  // namespace

TerminalResult RunOnTerminal(const std::string& binary, const std::vector<std::string>& args,
                             const std::vector<std::string>& env, const std::string& stop_when) {
  TerminalResult result;
  std::vector<std::string> argv_storage = {binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = MergedEnvironment(env);
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  std::string out_path = (std::filesystem::temp_directory_path() / "kiln-tty-stdout-XXXXXX").string();
  const int out_fd = ::mkstemp(out_path.data());
  if (out_fd < 0) return result;
  struct winsize size {};
  size.ws_row = 24;
  size.ws_col = 200;  // wide enough that the progress line is never cut
  // Raw mode: no "\n" -> "\r\n" translation, so the test reads exactly the
  // bytes kiln wrote.
  struct termios mode {};
  ::cfmakeraw(&mode);
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, &mode, &size);
  if (pid == 0) {
    ::dup2(out_fd, STDOUT_FILENO);
    ::execve(binary.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out_fd);
  if (pid < 0) {
    std::filesystem::remove(out_path);
    return result;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  char buf[4096];
  bool stopped = false;
  for (;;) {
    struct pollfd p {master, POLLIN, 0};
    const int ready = ::poll(&p, 1, 1000);
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      break;
    }
    if (ready <= 0) continue;
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EIO: the child and its descendants closed the terminal
    result.terminal.append(buf, static_cast<size_t>(n));
    if (!stop_when.empty() && !stopped && result.terminal.find(stop_when) != std::string::npos) {
      ::kill(pid, SIGTERM);
      stopped = true;
    }
  }
  ::close(master);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out_path, std::ios::binary);
  result.out.assign(std::istreambuf_iterator<char>(in), {});
  std::filesystem::remove(out_path);
  return result;
}

}  // namespace kiln::testing
