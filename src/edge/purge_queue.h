// kiln serve's purges (SPEC.md, "The edge"), on a thread of their own.
//
// The server's build worker calls SubmitAndWait after each build that
// changed files and before it answers the requests that waited for the
// build, so a comment posted through a cache is on the page the cache serves
// next (read-your-writes through the edge). The wait is bounded by
// [edge] timeout_ms: a slow or dead cache delays an answer by at most that,
// and its retries go on here, off the answer path. Each endpoint has its
// own thread and queue, so a slow cache never delays the purges of a
// healthy one; targets queued while an endpoint's purges are in flight are
// merged into its next round.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "edge/purger.h"
#include "load/config.h"

namespace kiln {

class PurgeQueue {
 public:
  // Runs on an endpoint's thread after each of its rounds (the server
  // prints it); may run on several threads at once.
  using Reporter = std::function<void(const PurgeResult&)>;

  PurgeQueue(EdgeConfig config, std::string host, Reporter reporter);
  // Stops (see Stop).
  ~PurgeQueue();

  // Thread-safe. Queues `target` for every endpoint and waits until each
  // one's round is over or config.timeout_ms has passed. True when all
  // ended in time (failed purges included: reported, not waited for again).
  bool SubmitAndWait(PurgeTarget target);

  // Sends what is queued (with its retries), then joins the thread.
  // Idempotent.
  void Stop();

 private:
  class Endpoint;
  Reporter reporter_;  // one endpoint's queue and thread
  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  int timeout_ms_;
};

}  // namespace kiln
