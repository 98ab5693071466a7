// Waiting for a condition in a test, instead of sleeping and hoping it is
// true by then (issue 7: sleeps used as synchronisation pass or fail with
// the machine's load, and check nothing about the moment they assume).
#pragma once

#include <chrono>
#include <thread>

namespace kiln::testing {

// Polls `condition` every `poll` until it holds or `deadline` has passed;
// returns its last value. The deadline bounds a test on a slow machine; it
// is never the thing a test waits for.
template <typename Condition>
bool WaitUntil(Condition condition, std::chrono::milliseconds deadline,
               std::chrono::milliseconds poll = std::chrono::milliseconds(5)) {
  auto give_up = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= give_up) return condition();
    std::this_thread::sleep_for(poll);
  }
  return true;
}

}  // namespace kiln::testing
