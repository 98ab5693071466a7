// The main() of a fuzz target built without libFuzzer (the normal build,
// any compiler): runs LLVMFuzzerTestOneInput once on every file named on
// the command line or inside a folder named there, in name order, so each
// input a fuzzer ever kept (fuzz/seeds/NAME, fuzz/regressions/NAME) stays a
// regression test of the normal suite (tests/CMakeLists.txt, fuzz_replay.*).
//
// A missing folder is skipped (a target may have no regressions yet), but
// no input at all is a failure: a test that replays nothing checks nothing.
// A failed check aborts inside the target, which fails the test.
//
// The inputs run under the signal libFuzzer sends, only more often: its
// -timeout=N ticks SIGALRM every N/2+1 s at a handler installed without
// SA_RESTART, so a target's blocking call can fail with EINTR at any time.
// Here it ticks every 0.2 ms, so a target that takes an interrupted
// call for a failure fails its replay test at once, not once in 10,000
// inputs of a fuzzing run (issue 7: the http_request "stall").
#include <signal.h>
#include <sys/time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::filesystem::path> InputsOf(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> inputs;
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.is_regular_file()) inputs.push_back(entry.path());
    }
    std::sort(inputs.begin(), inputs.end());
  } else if (std::filesystem::is_regular_file(path)) {
    inputs.push_back(path);
  }
  return inputs;
}

void TickLikeLibFuzzer() {
  struct sigaction action {};
  action.sa_handler = [](int) {};
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART, as libFuzzer's SetSigaction
  itimerval every{{0, 200}, {0, 200}};
  if (sigaction(SIGALRM, &action, nullptr) != 0 || setitimer(ITIMER_REAL, &every, nullptr) != 0) {
    std::perror("replay: SIGALRM timer");
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  TickLikeLibFuzzer();
  size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& input : InputsOf(argv[i])) {
      std::ifstream in(input, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::fprintf(stderr, "replay: %s (%zu bytes)\n", input.c_str(), bytes.size());
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++replayed;
    }
  }
  if (replayed == 0) {
    std::fprintf(stderr, "replay: no inputs found in the paths given\n");
    return 1;
  }
  std::printf("replayed %zu inputs\n", replayed);
  return 0;
}
