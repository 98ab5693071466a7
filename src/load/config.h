// kiln.toml: the site's configuration (SPEC.md, "A site on disk").
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "util/status.h"
#include "util/time_zone.h"

namespace kiln {

struct CommentsConfig {
  std::string moderation = "auto";  // "auto" publishes at once, "manual" holds
  int max_length = 10000;           // characters (UTF-8 code points) of a body
  int rate_limit_per_minute = 5;    // per client address; 0 = off
};

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;
  // Open connections one client address may hold; more are answered 503
  // and closed (nginx's limit_conn examples use tens).
  int connections_per_address = 64;
  // A request (its reading or its answer's sending) that makes no progress
  // for this long is closed; a slow transfer that progresses never is.
  int timeout_seconds = 30;
};

// [edge] (SPEC.md, "The edge"; docs/deploy.md): the caches kiln purges after
// each build that wrote or removed files.
struct EdgeConfig {
  std::vector<std::string> purge;  // endpoints, e.g. "http://127.0.0.1:6081"
  bool xkey_purge = false;  // purge by cache tag where exact (edge/purge_plan.h)
  int timeout_ms = 2000;    // per attempt; also how long a comment's answer waits
  int retries = 2;          // attempts after the first, for a failed purge
  int s_maxage = 60;        // seconds shared caches may keep a page (Cache-Control)
  // `kiln build` also writes site/_headers: the same Cache-Control and tags
  // as rules for static hosts (edge/headers_file.h).
  bool headers_file = false;
};

// [stats] (docs/server.md, "Monitoring"): kiln serve's hit counters.
// The counters are always kept and flushed to kiln.db (unless `record` is
// false); their HTTP views (/api/stats, /metrics, /_kiln/stats) are off
// unless `enabled`, and then open to `allow` only (loopback by default), or
// to a request with "Authorization: Bearer $KILN_STATS_TOKEN" when that
// variable is set: Prometheus exporters listen on loopback or ask for auth.
struct StatsConfig {
  bool enabled = false;
  std::vector<std::string> allow = {"127.0.0.1", "::1"};  // exact client addresses
  bool record = true;      // write hits to kiln.db for `kiln stats`
  int flush_seconds = 5;   // how often hits go to kiln.db; one chart sample each
};

// [notify] (docs/server.md, "Notifications"): new comments announced by an
// HMAC-signed POST (serve/comment_notifier.h). Off while `url` is empty.
struct NotifyConfig {
  std::string url;     // http:// or https:// endpoint (a chat webhook, a mail gateway)
  std::string secret;  // HMAC-SHA256 key; $KILN_NOTIFY_SECRET when empty here
  // Which comments: "pending" (held for moderation), "published", or both.
  std::vector<std::string> events = {"pending"};
  int timeout_ms = 5000;   // per attempt
  int retries = 8;         // attempts after the first
  int retry_ms = 1000;     // first retry's delay; doubled each time, at most 5 minutes
  int queue_size = 1000;   // notifications waiting; more are dropped (and counted)
};

struct PermalinksConfig {
  // Where posts go: tokens :year :month :day (of the post's date in the
  // site's time zone), :slug, :title (load/permalink.h). Ends in '/' (the
  // post is DIR/index.html) or names the file itself ("….html").
  std::string post = "/posts/:slug/";
};

struct MarkdownConfig {
  // Fenced code with a language is highlighted at build time
  // (render/code_highlighter.h). Off: every block stays as cmark renders it,
  // <pre><code class="language-X">, for a theme that highlights in the
  // browser, or for a build that must do the least work.
  bool highlight = true;
};

struct Config {
  std::string title = "A kiln blog";
  std::string base_url = "http://127.0.0.1:8080/";  // always ends in '/'
  // The path of base_url ("/" or "/blog/" for https://x.github.io/blog/):
  // every link in a page starts with it.
  std::string base_path = "/";
  std::string description;
  std::string author;
  int posts_per_page = 10;
  int feed_size = 20;
  // What a feed entry carries besides its summary: "summary" (nothing more,
  // so a body edit renders no feed) or "full" (the rendered body, as
  // <content type="html">; the feeds then depend on the bodies they list).
  std::string feed_content = "summary";
  TimeZone timezone;  // UTC unless kiln.toml names an IANA zone
  PermalinksConfig permalinks;
  MarkdownConfig markdown;
  CommentsConfig comments;
  ServerConfig server;
  EdgeConfig edge;
  StatsConfig stats;
  NotifyConfig notify;
};

// Parses `file`. Unknown keys, wrong types and out-of-range values are
// errors naming the file and line; `out` is untouched on error.
Status LoadConfig(const std::filesystem::path& file, Config* out);

}  // namespace kiln
