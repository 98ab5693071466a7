#include "kiln_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace kiln::testing {
namespace {

// Implementation details: stdout comes through a pipe read to its end;
// stderr goes to a temporary file, so that a chatty stderr can never fill a
// second pipe and deadlock the child while we read the first.

std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace

std::string KilnBinaryUnderTest() {
  const char* override_binary = std::getenv("KILN_PROPTEST_BINARY");
  return override_binary && *override_binary ? override_binary : KILN_BINARY;
}

std::string ReferenceKilnBinary() { return KILN_BINARY; }

ProcessResult RunKiln(const std::string& binary, const std::vector<std::string>& args,
                      const std::vector<std::string>& env) {
  ProcessResult result;
  std::vector<std::string> argv_storage = {binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** e = environ; *e; ++e) env_storage.emplace_back(*e);
  env_storage.insert(env_storage.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);

  std::string err_path = (std::filesystem::temp_directory_path() / "kiln-proc-stderr-XXXXXX").string();
  const int err_fd = ::mkstemp(err_path.data());
  int out_pipe[2];
  if (err_fd < 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0) {
    result.err = std::string("cannot set up the child's output: ") + std::strerror(errno);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  if (spawned == 0) {
    result.out = ReadAll(out_pipe[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  ::close(out_pipe[0]);
  ::lseek(err_fd, 0, SEEK_SET);
  result.err = ReadAll(err_fd);
  ::close(err_fd);
  std::filesystem::remove(err_path);
  if (spawned != 0) result.err = "cannot run " + binary + ": " + std::strerror(spawned);
  return result;
}

}  // namespace kiln::testing
