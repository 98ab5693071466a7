// Implementation details. Every (endpoint, path) and (endpoint, tag batch)
// pair is one Request; Run() keeps up to kMaxParallel of them in flight on
// one CURLM, polls, and on each finished transfer either counts it or
// schedules its next attempt after a backoff. Requests are independent, so
// a dead endpoint costs its own requests their timeouts and nothing else.
#include "edge/purger.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "load/config.h"
#include "util/curl_library.h"

namespace kiln {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr size_t kMaxErrorsPerEndpoint = 5;
constexpr size_t kMaxTagLine = 4000;  // bytes of tags per xkey-purge header
constexpr auto kFirstBackoff = std::chrono::milliseconds(100);

size_t DiscardPurgeReply(char*, size_t size, size_t n, void*) { return size * n; }

struct Request {
  std::string endpoint;  // as configured, for messages
  std::string url;       // endpoint + path
  std::string what;      // "/posts/a/" or "tags post:a …"
  std::string xkey;      // the xkey-purge header value, for tag purges
  int attempts = 0;
  SteadyClock::time_point not_before;
  std::string last_error;
};

std::string StripSlash(std::string endpoint) {
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  return endpoint;
}

std::vector<std::string> TagBatches(const std::vector<std::string>& tags) {
  std::vector<std::string> batches;
  for (const auto& tag : tags) {
    if (batches.empty() || batches.back().size() + tag.size() + 1 > kMaxTagLine) batches.emplace_back();
    if (!batches.back().empty()) batches.back() += ' ';
    batches.back() += tag;
  }
  return batches;
}

class PurgeRun {
 public:
  PurgeRun(const EdgeConfig& config, const std::string& host) : config_(config) {
    host_header_ = "Host: " + host;
  }

  void Add(Request request) { waiting_.push_back(std::move(request)); }

  PurgeResult Run() {
    result_.endpoints = config_.purge.size();
    result_.requests = waiting_.size();
    const auto start = SteadyClock::now();
    std::string error;
    curl_ = Curl(&error);
    if (!curl_) {
      // Without libcurl nothing can be sent: every request fails, reported
      // like any unreachable endpoint, and the build goes on.
      while (!waiting_.empty()) {
        waiting_.front().last_error = error;
        waiting_.front().attempts = config_.retries + 1;
        Fail(std::make_unique<Request>(std::move(waiting_.front())));
        waiting_.pop_front();
      }
      return result_;
    }
    multi_ = curl_->multi_init();
    while (!waiting_.empty() || running_ > 0) {
      StartReady();
      int still = 0;
      curl_->multi_perform(multi_, &still);
      Collect();
      if (waiting_.empty() && running_ == 0) break;
      curl_->multi_poll(multi_, nullptr, 0, PollMs(), nullptr);
    }
    curl_->multi_cleanup(multi_);
    result_.duration_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
    return result_;
  }

 private:
  // How long the poll may sleep: until the next backoff ends, at most 100 ms.
  int PollMs() const {
    auto now = SteadyClock::now();
    auto wait = std::chrono::milliseconds(100);
    for (const Request& r : waiting_) {
      if (running_ >= kMaxParallel) break;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(r.not_before - now);
      wait = std::max(std::chrono::milliseconds(0), std::min(wait, left));
    }
    return static_cast<int>(wait.count());
  }

  void StartReady() {
    auto now = SteadyClock::now();
    for (auto it = waiting_.begin(); it != waiting_.end() && running_ < kMaxParallel;) {
      if (it->not_before > now) {
        ++it;
        continue;
      }
      Start(std::make_unique<Request>(std::move(*it)));
      it = waiting_.erase(it);
    }
  }

  void Start(std::unique_ptr<Request> request) {
    CURL* curl = curl_->easy_init();
    curl_slist* headers = curl_->slist_append(nullptr, host_header_.c_str());
    if (!request->xkey.empty()) headers = curl_->slist_append(headers, ("xkey-purge: " + request->xkey).c_str());
    curl_->easy_setopt(curl, CURLOPT_URL, request->url.c_str());
    curl_->easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PURGE");
    curl_->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_->easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
    curl_->easy_setopt(curl, CURLOPT_PROXY, "");  // never through http_proxy from the environment
    curl_->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_->easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout_ms));
    curl_->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.timeout_ms));
    curl_->easy_setopt(curl, CURLOPT_WRITEFUNCTION, DiscardPurgeReply);
    curl_->easy_setopt(curl, CURLOPT_PRIVATE, request.get());
    ++request->attempts;
    in_flight_.emplace(curl, InFlight{std::move(request), headers});
    curl_->multi_add_handle(multi_, curl);
    ++running_;
  }

  void Collect() {
    int left = 0;
    while (CURLMsg* msg = curl_->multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* curl = msg->easy_handle;
      CURLcode code = msg->data.result;
      long status = 0;
      curl_->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
      auto node = in_flight_.extract(curl);
      curl_->multi_remove_handle(multi_, curl);
      curl_->easy_cleanup(curl);
      curl_->slist_free_all(node.mapped().headers);
      --running_;
      Finish(std::move(node.mapped().request), code, status);
    }
  }

  void Finish(std::unique_ptr<Request> request, CURLcode code, long status) {
    if (code == CURLE_OK && ((status >= 200 && status < 300) || status == 404)) {
      ++result_.purged;
      return;
    }
    request->last_error = code != CURLE_OK ? curl_->easy_strerror(code) : "HTTP " + std::to_string(status);
    Fail(std::move(request));
  }

  // A request that did not succeed: retried after a backoff while it has
  // attempts left, else counted and (up to a few per endpoint) described.
  void Fail(std::unique_ptr<Request> request) {
    if (request->attempts <= config_.retries) {
      ++result_.retries;
      request->not_before = SteadyClock::now() + kFirstBackoff * (1 << (request->attempts - 1));
      waiting_.push_back(std::move(*request));
      return;
    }
    ++result_.failed;
    if (errors_by_endpoint_[request->endpoint]++ < kMaxErrorsPerEndpoint) {
      result_.errors.push_back(request->endpoint + " PURGE " + request->what + ": " +
                               request->last_error + " (" + std::to_string(request->attempts) +
                               (request->attempts == 1 ? " attempt)" : " attempts)"));
    }
  }

  struct InFlight {
    std::unique_ptr<Request> request;
    curl_slist* headers;
  };

  const EdgeConfig& config_;
  std::string host_header_;
  const CurlLibrary* curl_ = nullptr;
  CURLM* multi_ = nullptr;
  std::deque<Request> waiting_;
  std::map<CURL*, InFlight> in_flight_;
  size_t running_ = 0;
  std::map<std::string, size_t> errors_by_endpoint_;
  PurgeResult result_;
};

}  // namespace

void PurgeTarget::Merge(const PurgeTarget& other) {
  auto add = [](std::vector<std::string>* to, const std::vector<std::string>& from) {
    std::set<std::string> have(to->begin(), to->end());
    for (const auto& item : from) {
      if (have.insert(item).second) to->push_back(item);
    }
  };
  add(&paths, other.paths);
  add(&tags, other.tags);
}

PurgeSite PurgeSiteOf(const std::string& base_url) {
  PurgeSite site;
  const CurlLibrary* curl = Curl();
  CURLU* url = curl ? curl->url() : nullptr;
  if (url && curl->url_set(url, CURLUPART_URL, base_url.c_str(), 0) == CURLUE_OK) {
    char *host = nullptr, *port = nullptr, *path = nullptr;
    if (curl->url_get(url, CURLUPART_HOST, &host, 0) == CURLUE_OK) site.host = host;
    if (curl->url_get(url, CURLUPART_PORT, &port, 0) == CURLUE_OK) site.host += std::string(":") + port;
    if (curl->url_get(url, CURLUPART_PATH, &path, 0) == CURLUE_OK) site.path_prefix = path;
    curl->free(host);
    curl->free(port);
    curl->free(path);
  }
  if (url) curl->url_cleanup(url);
  if (site.path_prefix.empty() || site.path_prefix.back() != '/') site.path_prefix += '/';
  return site;
}

PurgeResult SendPurges(const EdgeConfig& config, const std::string& host, const PurgeTarget& target) {
  PurgeRun run(config, host);
  const std::vector<std::string> batches = TagBatches(target.tags);
  for (const std::string& configured : config.purge) {
    const std::string endpoint = StripSlash(configured);
    for (const auto& path : target.paths) run.Add(Request{configured, endpoint + path, path, "", 0, {}, ""});
    for (const auto& batch : batches) {
      run.Add(Request{configured, endpoint + "/", "tags " + batch.substr(0, 60), batch, 0, {}, ""});
    }
  }
  return run.Run();
}

std::string DescribePurge(const PurgeResult& r) {
  char line[160];
  const char* plural = r.endpoints == 1 ? "" : "s";
  if (r.ok()) {
    std::snprintf(line, sizeof line, "purge: %zu requests to %zu endpoint%s answered in %.1f ms",
                  r.requests, r.endpoints, plural, r.duration_ms);
    std::string text = line;
    if (r.retries) text += " (" + std::to_string(r.retries) + " retried)";
    return text;
  }
  std::snprintf(line, sizeof line, "purge failed: %zu of %zu requests to %zu endpoint%s, after %.1f ms",
                r.failed, r.requests, r.endpoints, plural, r.duration_ms);
  std::string text = line;
  for (const auto& e : r.errors) text += "\n  " + e;
  if (r.failed > r.errors.size()) text += "\n  ...";
  return text;
}

std::string PurgeResultToJson(const PurgeResult& r) {
  nlohmann::ordered_json j;
  j["endpoints"] = r.endpoints;
  j["requests"] = r.requests;
  j["purged"] = r.purged;
  j["failed"] = r.failed;
  j["retries"] = r.retries;
  j["duration_ms"] = std::round(r.duration_ms * 10) / 10;
  j["errors"] = r.errors;
  return j.dump();
}

}  // namespace kiln
