#include "util/clock.h"

#include <cstdlib>
#include <ctime>

#include "util/time_format.h"

namespace kiln {

int64_t RealClock::NowSeconds() const {
  if (const char* pinned = std::getenv("KILN_NOW")) {
    int64_t seconds;
    if (ParseIsoDate(pinned, &seconds)) return seconds;
  }
  return static_cast<int64_t>(std::time(nullptr));
}

}  // namespace kiln
