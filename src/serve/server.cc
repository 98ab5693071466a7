// Implementation notes. Threads:
//   - the caller's thread runs the HTTP I/O loop (http_server.h);
//   - the coordinator's worker runs builds and stores comments;
//   - with --watch, the watcher's thread waits on inotify;
//   - the change poller's thread looks at kiln.db four times a second;
//   - a signal thread waits in sigtimedwait for SIGINT/SIGTERM, with both
//     blocked everywhere else (blocked here before any thread starts, so
//     every thread inherits the mask), and asks the HTTP server to stop.
// Shutdown order: the HTTP loop returns only when every connection has
// ended, which means every deferred answer was sent, which means every job
// it waited for is done; then the watcher and the worker are stopped.
#include "serve/server.h"

#include <SQLiteCpp/Database.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <limits>
#include <thread>

#include "edge/cache_tags.h"
#include "edge/output_keys.h"
#include "edge/purge_plan.h"
#include "edge/purge_queue.h"
#include "engine/build.h"
#include "engine/build_progress.h"
#include "engine/resident_state.h"
#include "load/config.h"
#include "output/file_janitor.h"
#include "output/progress_printer.h"
#include "render/comment_error_page.h"
#include "render/comment_html_cache.h"
#include "serve/change_poller.h"
#include "serve/comment_api.h"
#include "serve/comment_notifier.h"
#include "serve/comment_page_site.h"
#include "serve/comment_request.h"
#include "serve/file_cache.h"
#include "serve/http_server.h"
#include "serve/live_reload.h"
#include "serve/preview_address.h"
#include "serve/published_posts.h"
#include "serve/rebuild_coordinator.h"
#include "serve/router.h"
#include "serve/serve_stats.h"
#include "serve/static_files.h"
#include "serve/watcher.h"
#include "serve/webhook.h"
#include "store/database.h"
#include "store/statement_cache.h"
#include "store/wal_checkpointer.h"

namespace kiln {
namespace {

std::string UrlHost(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

// Everything one running server owns, in construction order.
class SiteServer {
 public:
  SiteServer(const ServeOptions& options, const Config& config, SQLite::Database* db,
             WalCheckpointer* checkpointer, HttpServerOptions http_options, std::string secret)
      : root_(options.site_root),
        checkpointer_(checkpointer),
        watch_(options.watch),
        first_build_progress_(options.first_build_progress),
        xkey_purge_(config.edge.xkey_purge),
        purge_site_(PurgeSiteOf(config.base_url)),
        stats_(config.stats, options.site_root / "kiln.db", StatsTokenFromEnvironment()),
        cache_(options.watch, PageCacheControl(config.edge.s_maxage)),
        purges_(config.edge.purge.empty() ? nullptr
                                          : NewPurgeQueue(config.edge, purge_site_.host, &stats_)),
        notifier_(NewNotifier(config, &stats_)),
        files_(root_ / "site", &cache_),
        coordinator_([this](const BuildRequest& request,
                            BuildReport* report) { return Build(request, report); },
                     [this](const Status& s, const BuildReport& r) { OnBuilt(s, r); }),
        db_(db),
        comments_(
            config.comments, [this] { return WorkerConnection(); }, &coordinator_),
        webhook_(std::move(secret), &coordinator_),
        router_(&files_, &comments_, &webhook_, options.watch),
        http_(WithBodyLimits(std::move(http_options)),
              [this](HttpRequest& r) { return router_.Route(r); }) {
    // A failed build is tried again on its own (1 s, 2 s, … at most 30 s
    // apart), so fixing a template or freeing the disk is enough to recover.
    coordinator_.RetryFailedBuilds(std::chrono::seconds(1), std::chrono::seconds(30));
    router_.SetStats(&stats_);
    comments_.SetNotifier(notifier_.get());
    stats_.Start();
  }

  ~SiteServer() {
    watcher_.reset();
    coordinator_.Stop();
    poller_.reset();  // after the worker's last build, which tells it
  }

  Status Listen() { return http_.Listen(); }
  void SetPreview(PreviewRewrite rewrite) { cache_.SetPreviewRewrite(std::move(rewrite)); }
  int port() const { return http_.port(); }
  void Stop() { http_.Stop(); }

  // Runs one build through the coordinator and waits for it.
  void BuildNow() {
    std::promise<void> done;
    coordinator_.Submit(RebuildJob{nullptr, [&done](const JobResult&) { done.set_value(); }});
    done.get_future().wait();
  }

  Status StartWatcher() {
    watcher_ = std::make_unique<Watcher>(root_, [this](const std::vector<std::string>& changed) {
      std::fprintf(stderr, "kiln: changed: %s%s\n", changed.front().c_str(),
                   changed.size() > 1 ? " …" : "");
      coordinator_.Submit(RebuildJob{});
    });
    return watcher_->Start();
  }

  // Comments written by other programs, builds run beside the server and
  // scheduled posts coming due (serve/change_poller.h) each start an
  // incremental build; after a foreign build the cached files are forgotten.
  void StartPoller() {
    poller_ = std::make_unique<ChangePoller>(
        root_ / "kiln.db", std::chrono::milliseconds(250), nullptr, [this](const StoreChange& change) {
          RebuildJob job;
          // A scheduled post is not a file change: the resident engine sees
          // it is due and takes the normal path by itself.
          job.comments_only = !change.foreign_write;
          if (change.foreign_write) {
            job.prepare = [this](bool* needs_build) {
              cache_.Clear();
              *needs_build = true;
              return Status::Ok();
            };
          }
          coordinator_.Submit(std::move(job));
        });
    // The build at start ran before the poller existed.
    poller_->NoteOwnBuild(last_build_id_, last_comment_seq_, last_next_due_);
    poller_->Start();
  }

  // The I/O loop, until Stop() has drained every connection.
  void Serve() {
    http_.Run();
    watcher_.reset();
    // The worker's builds tell the poller about themselves: it goes after
    // the last of them.
    coordinator_.Stop();
    poller_.reset();
    if (notifier_) notifier_->Stop();  // after the last comment; bounded in time
    stats_.Stop();  // after the last build, so its regenerations are flushed
  }

 private:
  HttpServerOptions WithBodyLimits(HttpServerOptions options) {
    options.body_limit = [this](const HttpRequest& r) { return router_.BodyLimit(r); };
    options.body_too_large = [this](const HttpRequest& r, size_t limit) {
      return router_.BodyTooLarge(r, limit);
    };
    return options;
  }

  // Every build goes through the resident engine (engine/resident_state.h):
  // a batch of comments re-renders the pages that show them and reloads
  // nothing. Only the watcher, the rebuild webhook, a retry or a build
  // run beside the server make a build look at the files again.
  Status Build(const BuildRequest& request, BuildReport* report) {
    BuildOptions options;
    options.site_root = root_;
    options.resident = &resident_;
    options.files_unchanged = !request.files_may_have_changed;
    options.comment_html = &comment_html_;
    options.body_html = &body_html_;
    options.janitor = &janitor_;
    options.checkpointer = checkpointer_;
    // Until the cache knows every page's tags, UpdateCacheTags reads them
    // all from the store: the first (often full) build need not list them.
    options.report_keys = tags_known_;
    options.report_post_links = true;  // the redirect after a comment
    if (poller_) poller_->BeginOwnBuild();
    // The first build may render the whole site (a new checkout, a new
    // kiln): it shows progress as `kiln build` does. Its line is erased
    // here, on the worker, before OnBuilt prints the build's own line.
    BuildProgress progress;
    std::unique_ptr<ProgressPrinter> printer;
    if (first_build_progress_) {
      options.progress = &progress;
      printer = std::make_unique<ProgressPrinter>(&progress, STDERR_FILENO, *first_build_progress_);
      printer->Start();
      first_build_progress_.reset();
    }
    Status status = RunBuild(options, report);
    if (printer) printer->Stop();
    return status;
  }

  // On the worker, after each build and before anyone waiting is answered.
  void OnBuilt(const Status& status, const BuildReport& report) {
    stats_.RecordBuild(status, report);
    if (!status.ok()) {
      // A failed build may have replaced some files: forget them all.
      cache_.Clear();
      std::string message = status.ToString();
      // Retries repeat the same failure: say it once, and again if it changes.
      if (message != last_error_) {
        std::fprintf(stderr, "kiln: build failed (retried on its own until fixed): %s\n",
                     message.c_str());
        if (watch_) http_.Broadcast(BuildErrorEvent(message));
        last_error_ = message;
      }
      router_.SetBuildError(message);
      last_failed_ = true;
      if (poller_) poller_->EndOwnBuild();
      KeepTakingComments(report);
      return;
    }
    if (report.full) {
      cache_.Clear();
    } else {
      cache_.Invalidate(report.written);
      cache_.Invalidate(report.removed);
    }
    bool changed = !report.written.empty() || !report.removed.empty();
    PurgeTarget purge;  // from the tags the cache holds, so before they change
    if (purges_ && changed) {
      purge = xkey_purge_ ? PurgeTargetByTag(report, tags_, purge_site_.path_prefix)
                          : PurgeTargetOf(report, purge_site_.path_prefix);
    }
    UpdateCacheTags(report);
    if (!report.published_posts_unchanged) comments_.SetPublishedPosts(report.published_posts);
    RefreshCommentPageSite(report);
    if (!report.post_links.empty()) comments_.SetPostLinks(report.post_links, !report.published_posts_unchanged);
    last_build_id_ = report.history_id;
    last_next_due_ = report.next_due;
    last_comment_seq_ = report.comment_seq;
    if (poller_) poller_->NoteOwnBuild(report.history_id, report.comment_seq, report.next_due);
    router_.SetBuildError("");
    last_error_.clear();
    // Before anyone waiting for this build is answered, so the cache in
    // front serves the new pages at once; bounded by [edge] timeout_ms.
    if (!purge.empty() && !purges_->SubmitAndWait(std::move(purge))) {
      std::fprintf(stderr, "kiln: purge: still waiting for the cache; answering anyway\n");
    }
    if (changed || last_failed_) {
      // The path (engine/build.h, BuildReport::path) says why it cost what
      // it did: "comments" or "edits" from memory, or the site loaded again.
      std::fprintf(stderr,
                   "kiln: built %zu pages (%zu rendered, %zu files written) in %.1f ms (%s%s)\n",
                   report.pages, report.rendered.size(), report.written.size(), report.duration_ms,
                   report.path.c_str(), report.resident ? ", from memory" : "");
    }
    if (watch_ && (changed || last_failed_)) http_.Broadcast(ReloadEvent());
    last_failed_ = false;
  }

  // The first build gives every page's tags from the saved state; later
  // builds change those of the outputs they rendered or removed (a cost in
  // proportion to the build, not to the site: 5,000 pages took 22 ms).
  void UpdateCacheTags(const BuildReport& report) {
    if (tags_known_) {
      auto changed = CacheTagHeaders(report.output_keys);
      for (const auto& [output, tags] : changed) tags_[output] = tags;
      for (const auto& output : report.removed) tags_.erase(output);
      cache_.UpdateCacheTags(changed, report.removed);
      return;
    }
    std::map<std::string, std::vector<std::string>> keys;
    Status s = LoadOutputKeys(root_, &keys);
    if (!s.ok()) std::fprintf(stderr, "kiln: cache tags unavailable: %s\n", s.ToString().c_str());
    tags_ = CacheTagHeaders(keys);
    cache_.SetCacheTags(tags_);
    tags_known_ = s.ok();
  }

  static std::unique_ptr<PurgeQueue> NewPurgeQueue(const EdgeConfig& edge, const std::string& host,
                                                   ServeStats* stats) {
    return std::make_unique<PurgeQueue>(edge, host, [stats](const PurgeResult& result) {
      stats->RecordPurge(result);
      std::fprintf(stderr, "kiln: %s\n", DescribePurge(result).c_str());
    });
  }

  // The comment form's error page shows the site as the last build that
  // loaded its files did: a comment-only or no-op build cannot have
  // changed the theme, the config or the posts, so it keeps the snapshot.
  void RefreshCommentPageSite(const BuildReport& report) {
    if (page_site_made_ && (report.path == "comments" || report.path == "no-op")) return;
    if (page_site_made_ && report.path == "edits") {
      KeepPostTitlesCurrent(report.edited_posts);
      return;
    }
    std::shared_ptr<const CommentPageSite> site;
    Status s = LoadCommentPageSite(root_, resident_.index.get(), &site);
    if (!s.ok()) {
      std::fprintf(stderr, "kiln: the comment error page keeps the last site it knew: %s\n",
                   s.ToString().c_str());
      return;
    }
    page_site_ = site;
    comments_.SetPageSite(std::move(site));
    page_site_made_ = true;
  }

  // On the worker: the connection a comment is stored with. The resident
  // engine's, while it has one to the kiln.db there now: a write through
  // another connection makes SQLite drop every page the engine's
  // connection has cached (the WAL changed under it), and each comment's
  // build then read the state's pages from disk again.
  SQLite::Database* WorkerConnection() {
    struct stat st;
    if (resident_.db && ::stat((root_ / "kiln.db").c_str(), &st) == 0 &&
        static_cast<uint64_t>(st.st_dev) == resident_.db_device &&
        static_cast<uint64_t>(st.st_ino) == resident_.db_inode) {
      return resident_.db.get();
    }
    return db_;
  }

  // After edits, which keep the theme, the config, the pages and every
  // post's place, only the edited posts' titles may have moved: the page
  // site is copied only when one did. Made again from the whole index, it
  // was a quarter of a body edit's time in `kiln serve --watch` at 4,000
  // posts (perf).
  void KeepPostTitlesCurrent(const std::vector<std::string>& edited_posts) {
    if (!page_site_ || !resident_.index) return;
    std::shared_ptr<CommentPageSite> updated;
    for (const std::string& slug : edited_posts) {
      const PostMeta* post = resident_.index->FindPost(slug);
      auto shown = page_site_->posts.find(slug);
      if (!post || shown == page_site_->posts.end() || shown->second.title == post->title) continue;
      if (!updated) updated = std::make_shared<CommentPageSite>(*page_site_);
      updated->posts[slug].title = post->title;
    }
    if (!updated) return;
    page_site_ = updated;
    comments_.SetPageSite(std::move(updated));
  }

  // [notify]: off without a url; off, with a warning, without a secret
  // (an unsigned notification could be forged by anyone who finds the URL).
  static std::unique_ptr<CommentNotifier> NewNotifier(const Config& config, ServeStats* stats) {
    const NotifyConfig& notify = config.notify;
    if (notify.url.empty()) return nullptr;
    std::string secret = notify.secret;
    if (const char* env = std::getenv("KILN_NOTIFY_SECRET"); secret.empty() && env) secret = env;
    if (secret.empty()) {
      std::fprintf(stderr, "kiln: notify: no secret ([notify] secret or KILN_NOTIFY_SECRET): notifications off\n");
      return nullptr;
    }
    return std::make_unique<CommentNotifier>(
        notify, std::move(secret), SiteOrigin(config.base_url), [stats](const CommentNotifier::Outcome& o) {
          stats->hits()->RecordNotification(o.delivered, !o.delivered && o.attempt > 0, o.dropped);
          if (o.delivered) return;
          std::fprintf(stderr, "kiln: notify: comment %lld: %s%s\n", static_cast<long long>(o.comment_id),
                       o.error.c_str(),
                       o.dropped ? " (dropped)" : (" (attempt " + std::to_string(o.attempt) + ", retrying)").c_str());
        });
  }

  // A failed build must not close the comment form (issue 7): which posts
  // take comments comes from the build's plan when it got that far, else
  // from loading content/ alone. Kept as it was if even that fails.
  void KeepTakingComments(const BuildReport& report) {
    if (!report.published_posts.empty()) {
      comments_.SetPublishedPosts(report.published_posts);
      return;
    }
    std::vector<std::string> slugs;
    Status loaded = LoadPublishedPosts(root_, &slugs);
    if (loaded.ok()) {
      comments_.SetPublishedPosts(std::move(slugs));
    } else {
      std::fprintf(stderr, "kiln: comments are limited to the posts of the last good build: %s\n",
                   loaded.ToString().c_str());
    }
  }

  std::filesystem::path root_;
  // Takes the WAL checkpoints off the requests' commits (RunServer owns it).
  WalCheckpointer* checkpointer_;
  bool watch_;
  // Until the first build takes it (only the worker reads it).
  std::optional<std::chrono::milliseconds> first_build_progress_;
  ResidentState resident_;  // worker thread only: the engine between builds
  CommentHtmlCache comment_html_;
  BodyHtmlCache body_html_;
  // Deletes the old files of each build while the server answers (declared
  // before coordinator_, whose worker hands it files, so it outlives it).
  FileJanitor janitor_;
  bool last_failed_ = false;  // worker thread only
  bool page_site_made_ = false;  // worker thread only: comments_ has a CommentPageSite
  std::shared_ptr<const CommentPageSite> page_site_;  // worker thread only: the one it has
  // What the last build reported, for the poller (worker thread).
  int64_t last_build_id_ = 0, last_comment_seq_ = 0;
  int64_t last_next_due_ = std::numeric_limits<int64_t>::max();
  bool tags_known_ = false;   // worker thread only: the file cache has every page's tags
  std::unordered_map<std::string, std::string> tags_;  // worker thread: output -> xkey served
  bool xkey_purge_;
  PurgeSite purge_site_;
  std::string last_error_;    // worker thread only: the failure last printed
  ServeStats stats_;          // before purges_ and router_, which count into it
  FileCache cache_;
  std::unique_ptr<PurgeQueue> purges_;  // null without [edge] purge; outlives coordinator_
  std::unique_ptr<CommentNotifier> notifier_;  // null without [notify]; outlives comments_
  StaticFiles files_;
  RebuildCoordinator coordinator_;
  SQLite::Database* db_;  // the server's own connection (RunServer owns it), for the worker
  CommentApi comments_;
  RebuildWebhook webhook_;
  Router router_;
  HttpServer http_;
  std::unique_ptr<Watcher> watcher_;
  std::unique_ptr<ChangePoller> poller_;
};

// Blocks SIGINT and SIGTERM for the lifetime of the object, in this thread
// and every thread started meanwhile.
class BlockedSignals {
 public:
  BlockedSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~BlockedSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  const sigset_t& set() const { return set_; }

 private:
  sigset_t set_, old_;
};

}  // namespace

Status RunServer(const ServeOptions& options) {
  // A client that disconnects mid-response must not kill the process (Asio
  // sends with MSG_NOSIGNAL; this covers every other write).
  std::signal(SIGPIPE, SIG_IGN);
  Config config;
  KILN_RETURN_IF_ERROR(LoadConfig(options.site_root / "kiln.toml", &config));
  HttpServerOptions http;
  http.host = options.host.value_or(config.server.host);
  http.port = options.port.value_or(config.server.port);
  if (http.port < 0 || http.port > 65535) {
    return Status::Invalid("port " + std::to_string(http.port) + " is out of range (0-65535)");
  }
  http.max_body_bytes = std::max<size_t>(Router::kMaxWebhookBodyBytes,
                                         MaxCommentRequestBytes(config.comments));
  http.connections_per_address = config.server.connections_per_address;
  http.timeout_seconds = config.server.timeout_seconds;
  const char* secret = std::getenv("KILN_WEBHOOK_SECRET");

  BlockedSignals signals;
  // Before every connection that hands it checkpoints, so it outlives them.
  WalCheckpointer checkpointer(options.site_root / "kiln.db");
  // Kept statements: every comment and every page hit goes through it.
  std::unique_ptr<StoreConnection> db;
  KILN_RETURN_IF_ERROR(OpenDatabase(options.site_root / "kiln.db", &db));
  checkpointer.Attach(db.get());
  KeepWalFileBetweenCheckpoints(db.get());
  SiteServer server(options, config, db.get(), &checkpointer, http, secret ? secret : "");
  KILN_RETURN_IF_ERROR(server.Listen());
  // The bound port is known now (--port 0), and nothing is served yet.
  const bool preview = options.preview;
  const PreviewRewrite rewrite = PreviewRewriteFor(preview, config.base_url, config.base_path, http.host, server.port());
  if (rewrite.active()) {
    std::fprintf(stderr, "kiln: previewing: pages link to %s instead of base_url %s (site/ keeps base_url)\n",
                 rewrite.to.c_str(), rewrite.from.c_str());
  } else if (!preview && IsLoopbackBaseUrl(config.base_url)) {
    // Most likely `kiln init`'s placeholder: say how to preview, and that
    // it is not the address to publish with.
    std::fprintf(stderr, "kiln: note: base_url is %s; --preview links pages to the address served on, "
                 "and kiln.toml needs the real one before publishing\n", config.base_url.c_str());
  }
  server.SetPreview(rewrite);
  server.BuildNow();
  server.StartPoller();
  if (options.watch) KILN_RETURN_IF_ERROR(server.StartWatcher());

  std::atomic<bool> finished = false;
  std::thread waiter([&] {
    bool stopping = false;
    while (!finished) {
      timespec tick = {0, 100'000'000};
      int sig = sigtimedwait(&signals.set(), nullptr, &tick);
      if (sig <= 0) continue;
      if (stopping) {
        static const char kMessage[] = "kiln: second signal: exiting now\n";
        ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
        (void)ignored;
        _exit(130);
      }
      stopping = true;
      std::fprintf(stderr, "kiln: %s: finishing requests in flight, then exiting\n",
                   sig == SIGINT ? "SIGINT" : "SIGTERM");
      server.Stop();
    }
  });
  std::fprintf(stderr, "kiln: serving http://%s:%d/%s\n", UrlHost(http.host).c_str(),
               server.port(), options.watch ? " (watching for changes)" : "");
  std::fflush(stderr);
  server.Serve();
  finished = true;
  waiter.join();
  std::fprintf(stderr, "kiln: stopped\n");
  return Status::Ok();
}

}  // namespace kiln
