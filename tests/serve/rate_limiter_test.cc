#include "serve/rate_limiter.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

// [comments] rate_limit_per_minute: at most N comments per address in any 60 s.
TEST(RateLimiterTest, SlidingWindowPerAddress) {
  RateLimiter limiter(2);
  int retry = 0;
  EXPECT_TRUE(limiter.TryAcquire("a", 0, &retry));
  EXPECT_TRUE(limiter.TryAcquire("a", 10'000, &retry));
  EXPECT_FALSE(limiter.TryAcquire("a", 20'000, &retry));
  EXPECT_EQ(retry, 40);  // the first one leaves the window at 60 s
  EXPECT_TRUE(limiter.TryAcquire("b", 20'000, &retry));  // another address
  EXPECT_TRUE(limiter.TryAcquire("a", 60'000, &retry));
  EXPECT_FALSE(limiter.TryAcquire("a", 69'999, &retry));
  EXPECT_EQ(retry, 1);  // rounded up, never 0
}

TEST(RateLimiterTest, ZeroTurnsItOff) {
  RateLimiter limiter(0);
  int retry = 0;
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.TryAcquire("a", 0, &retry));
  EXPECT_EQ(limiter.tracked_addresses(), 0u);
}

TEST(RateLimiterTest, ReleaseGivesTheSlotBack) {
  RateLimiter limiter(1);
  int retry = 0;
  EXPECT_TRUE(limiter.TryAcquire("a", 0, &retry));
  limiter.Release("a");
  EXPECT_TRUE(limiter.TryAcquire("a", 1, &retry));
}

TEST(RateLimiterTest, ForgetsQuietAddresses) {
  RateLimiter limiter(5);
  int retry = 0;
  for (int i = 0; i < 100; ++i) limiter.TryAcquire("addr" + std::to_string(i), 0, &retry);
  EXPECT_EQ(limiter.tracked_addresses(), 100u);
  limiter.TryAcquire("late", 120'000, &retry);
  EXPECT_EQ(limiter.tracked_addresses(), 1u);
}

}  // namespace
}  // namespace kiln
