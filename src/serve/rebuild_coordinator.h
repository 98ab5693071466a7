// Serializes every build kiln serve runs, and shares builds between the
// requests that wait for one (issue 3: "Many comments arriving at once must
// not each wait for a rebuild of their own: coalesce them into shared
// rebuilds, and lose none").
//
// One worker thread takes jobs in batches. For a batch it runs each job's
// `prepare` (a comment is stored there), then at most one build for the
// whole batch, then the build listener (the server invalidates its file
// cache there), and only then each job's `done`. So:
//   - a job submitted while a build runs joins the next build, which starts
//     after its `prepare`: every stored comment is in a build that precedes
//     its answer (read-your-writes);
//   - RunBuild, which is not reentrant for one site (engine/build.h), never
//     runs twice at once, and never on the I/O thread;
//   - N comments arriving during one build cost one more build, not N.
// After a failed build (issue 7: a broken template, a read-only or full
// disk), the next batch always builds, even one that asked for none (a
// pending comment), and with RetryFailedBuilds the worker also builds on
// its own after a delay that doubles up to a cap: once the cause is fixed,
// the site recovers with no comment, change or command needed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "engine/build.h"
#include "util/status.h"

namespace kiln {

struct JobResult {
  Status prepared;        // what `prepare` returned (ok when there was none)
  bool built = false;     // a build ran for this job's batch
  Status build;           // that build's status
  std::shared_ptr<const BuildReport> report;  // that build's report, when built
};

// What the worker tells the build function about a batch.
struct BuildRequest {
  // False when every job of the batch that asked for a build changed only
  // comments in kiln.db (RebuildJob::comments_only): the build may then
  // trust that no input file changed since the last one (the resident
  // engine, engine/resident_state.h). True for a retry after a failure.
  bool files_may_have_changed = true;
};

struct RebuildJob {
  // Runs on the worker before the batch's build. Sets `*needs_build` to
  // false when nothing it did can change the site (a pending comment).
  // A failure is reported to `done` and asks for no build.
  std::function<Status(bool* needs_build)> prepare;
  // Runs on the worker after the batch's build and the listener.
  std::function<void(const JobResult&)> done;
  // The job changes comments in kiln.db and nothing else (a comment POST, a
  // comment seen in the change log): no input file can have changed for it.
  bool comments_only = false;
};

class RebuildCoordinator {
 public:
  using BuildFunction = std::function<Status(const BuildRequest&, BuildReport*)>;
  // Runs on the worker after every build, before any job's `done`.
  using BuildListener = std::function<void(const Status&, const BuildReport&)>;

  // `build` is RunBuild bound to the site in production, a fake in tests.
  RebuildCoordinator(BuildFunction build, BuildListener listener);
  // Stops (see Stop) if still running.
  ~RebuildCoordinator();

  // Thread-safe. Queues `job`. After Stop() has returned, `done` runs at
  // once on the caller's thread with prepared = kIo "server is stopping".
  void Submit(RebuildJob job);

  // Finishes every queued job (and the build they need), then joins the
  // worker. Idempotent.
  void Stop();

  // Builds run so far. Used for tests and logs.
  size_t builds() const;

  // Thread-safe. From now on, a failed build is retried `first` after it
  // failed, then after twice as long each time it fails again, at most
  // `max`; a successful build (or Stop) ends the retries. Off by default.
  void RetryFailedBuilds(std::chrono::milliseconds first, std::chrono::milliseconds max);

 private:
  using TimePoint = std::chrono::steady_clock::time_point;
  void RunWorker();
  void RunBatch(std::vector<RebuildJob>& batch, bool retry);
  void NoteBuildResult(const Status& status);

  BuildFunction build_;
  BuildListener listener_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<RebuildJob> queue_;
  bool stopping_ = false;
  bool stopped_ = false;
  size_t builds_ = 0;
  bool last_failed_ = false;              // the last build failed
  std::chrono::milliseconds retry_first_{0}, retry_max_{0};  // 0: no retries
  std::chrono::milliseconds retry_delay_{0};  // the next delay after a failure
  std::optional<TimePoint> retry_at_;     // when the worker builds on its own
  std::thread worker_;
};

}  // namespace kiln
