// The number of cores the rendering and loading threads are sized by.
#pragma once

#include <algorithm>
#include <thread>

namespace kiln {

// std::thread::hardware_concurrency() reads /sys/devices/system/cpu/online
// at every call (glibc): an open, a read and a close, 0.05 ms in every build
// of `kiln serve` (strace of its worker, 4,000 posts). Read once a process;
// at least 1.
inline unsigned CoreCount() {
  static const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return cores;
}

}  // namespace kiln
