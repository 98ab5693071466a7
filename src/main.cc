// kiln's command line: parse flags, call the library, map results to exit
// codes. Only this file decides to exit (STYLE.md, "Only main decides").
#include <CLI/CLI.hpp>
#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "edge/cache_tags.h"
#include "edge/output_keys.h"
#include "edge/purge_plan.h"
#include "edge/purger.h"
#include "engine/build.h"
#include "engine/build_progress.h"
#include "engine/stats_report.h"
#include "import/import_run.h"
#include "init/base_url.h"
#include "init/new_post.h"
#include "init/site_init.h"
#include "load/config.h"
#include "load/content_loader.h"
#include "load/site_index.h"
#include "output/progress_printer.h"
#include "serve/preview_address.h"
#include "serve/server.h"
#include "store/build_state.h"
#include "store/comment_store.h"
#include "store/database.h"
#include "util/clock.h"

// Read by jemalloc, which the binary links (CMakeLists.txt), as it starts:
// pages freed are given back to the system after about a second instead of
// ten (jemalloc's default; muzzy decay is off by default since 5.2). A full
// build frees as it goes (each post's comments once rendered, each page
// once written) and allocates again, and with ten seconds the freed pages
// still counted in its peak memory. Measured (docs/benchmarks.md, "Issue 6,
// 2026-11-27 13:40-15:00"): 100,000 posts, peak RSS 1,056,512 -> 1,022,828 KB
// with everything else equal; a 4,000-post full build and `kiln serve`'s comment
// latency unchanged. MALLOC_CONF in the environment overrides it; a build
// with another allocator ignores it.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "dirty_decay_ms:1000";
}

namespace {

using kiln::Status;

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
// How long `kiln comment …` waits for another writer (a build saving its
// state, a `kiln serve`, a script) before giving up with nothing stored.
constexpr int kCliLockWaitSeconds = 60;

int Fail(const Status& s) {
  std::fprintf(stderr, "kiln: error: %s\n", s.ToString().c_str());
  return kExitError;
}

// SPEC.md, "The edge": after a build that wrote or removed files, purge
// them in the caches of [edge] purge. A failure is reported, never an
// error: the build did its job. `cached` is each output's tags before the
// build (for xkey_purge). Returns the `purge` object of the --json report.
std::string PurgeEdge(const kiln::Config& config, const kiln::BuildReport& report,
                      const std::unordered_map<std::string, std::string>& cached, bool quiet) {
  const kiln::PurgeSite target_site = kiln::PurgeSiteOf(config.base_url);
  const kiln::PurgeTarget target = config.edge.xkey_purge
                                       ? kiln::PurgeTargetByTag(report, cached, target_site.path_prefix)
                                       : kiln::PurgeTargetOf(report, target_site.path_prefix);
  const kiln::PurgeResult result = kiln::SendPurges(config.edge, target_site.host, target);
  // --quiet keeps a failure: it is a problem to act on, not a figure.
  if (!target.empty() && (!quiet || !result.ok())) {
    std::fprintf(stderr, "kiln: %s\n", kiln::DescribePurge(result).c_str());
  }
  return kiln::PurgeResultToJson(result);
}

// The flags of `kiln build`.
struct BuildFlags {
  bool full = false, explain = false, json = false, dry_run = false, allow_empty_comments = false;
  bool quiet = false;  // errors only: no progress line, summary, notes or warnings
};

// How long a build runs before its progress line appears: a no-op or
// comment build (tens of ms) prints nothing extra. KILN_PROGRESS_DELAY_MS
// overrides it for tests only (tests/output/progress_terminal_test.cc), so a
// small site shows the line too.
std::chrono::milliseconds ProgressDelay() {
  if (const char* ms = std::getenv("KILN_PROGRESS_DELAY_MS")) return std::chrono::milliseconds(std::atoi(ms));
  return std::chrono::milliseconds(500);
}

// The progress line (output/progress_printer.h), only where a person
// watches: stderr a terminal that understands the escapes, and no --quiet.
std::unique_ptr<kiln::ProgressPrinter> StartProgress(const kiln::BuildProgress* progress, bool quiet) {
  if (quiet || !kiln::StatusLine::IsSmartTerminal(STDERR_FILENO)) return nullptr;
  auto printer = std::make_unique<kiln::ProgressPrinter>(progress, STDERR_FILENO, ProgressDelay());
  printer->Start();
  return printer;
}

// A site built with kiln init's placeholder (or any loopback address) as
// base_url links its feed, sitemap and canonical URLs to the builder's own
// machine: a warning, not an error, since a local build is fine as it is.
// `kiln serve` says nothing: --preview links pages to where it serves.
void WarnOfLocalBaseUrl(const kiln::Config& config) {
  if (!kiln::IsLoopbackBaseUrl(config.base_url)) return;
  std::fprintf(stderr,
               "kiln: warning: base_url in kiln.toml is %s, an address on this machine: set it to the "
               "address readers will use (e.g. https://blog.example/) before publishing site/\n",
               config.base_url.c_str());
}

// The one line for people on stderr (README, "kiln build prints one line").
void PrintSummary(const kiln::BuildReport& report, bool dry_run) {
  if (dry_run) {
    std::fprintf(stderr, "kiln: dry run: %zu of %zu pages would be rendered\n", report.rendered.size(),
                 report.pages);
    return;
  }
  std::fprintf(stderr, "kiln: %zu pages: %zu rendered, %zu reused; %zu files written, %zu removed in %.1f ms\n",
               report.pages, report.rendered.size(), report.unchanged, report.written.size(),
               report.removed.size(), report.duration_ms);
}

int Build(const std::filesystem::path& site, const BuildFlags& flags) {
  kiln::BuildOptions options;
  options.site_root = site;
  options.allow_empty_comments = flags.allow_empty_comments;
  options.full = flags.full;
  options.explain = flags.explain;
  options.dry_run = flags.dry_run;
  options.process_exits_after = true;
  kiln::BuildProgress progress;
  options.progress = &progress;
  // The edge and the base_url warning: a bad kiln.toml is the build's
  // error to report, not this one.
  kiln::Config config;
  const bool config_read = kiln::LoadConfig(site / "kiln.toml", &config).ok();
  const bool edge = !flags.dry_run && config_read && !config.edge.purge.empty();
  options.report_keys = edge && config.edge.xkey_purge;  // the previous keys of what changed
  kiln::BuildReport report;
  std::unique_ptr<kiln::ProgressPrinter> printer = StartProgress(&progress, flags.quiet);
  Status s = kiln::RunBuild(options, &report);
  if (printer) printer->Stop();  // the line erased before anything else is printed
  if (!s.ok()) return Fail(s);
  // xkey_purge needs the tags the cache holds for every output, known only
  // after a build that changed something: the saved state's keys, with the
  // changed outputs' keys as they were before this build.
  std::unordered_map<std::string, std::string> cached;
  if (edge && config.edge.xkey_purge && (!report.written.empty() || !report.removed.empty())) {
    std::map<std::string, std::vector<std::string>> keys;
    if (kiln::LoadOutputKeys(site, &keys).ok()) {
      for (const auto* list : {&report.written, &report.removed}) {
        for (const auto& output : *list) keys.erase(output);
      }
      for (const auto& [output, previous] : report.previous_output_keys) keys[output] = previous;
      cached = kiln::CacheTagHeaders(keys);
    }
  }
  if (!flags.quiet) {
    for (const auto& note : report.notes) std::fprintf(stderr, "kiln: %s\n", note.c_str());
  }
  if (flags.explain) {
    for (const auto& line : report.explanations) std::fprintf(stderr, "  %s\n", line.c_str());
  }
  if (!flags.quiet && config_read) WarnOfLocalBaseUrl(config);
  if (!flags.quiet) PrintSummary(report, flags.dry_run);
  std::string purge_json;
  if (edge) purge_json = PurgeEdge(config, report, cached, flags.quiet);
  if (flags.json) {
    if (purge_json.empty()) {
      std::cout << kiln::BuildReportToJson(report) << "\n";
    } else {
      auto j = nlohmann::ordered_json::parse(kiln::BuildReportToJson(report));
      j["purge"] = nlohmann::ordered_json::parse(purge_json);
      std::cout << j.dump() << "\n";
    }
  }
  return 0;
}

Status OpenComments(const std::filesystem::path& site, std::unique_ptr<SQLite::Database>* db) {
  if (!std::filesystem::exists(site / "kiln.toml")) {
    return Status::NotFound("missing site configuration (is this a kiln site?)", (site / "kiln.toml").string());
  }
  KILN_RETURN_IF_ERROR(kiln::OpenDatabase(site / "kiln.db", db));
  kiln::WaitLongerForLocks(db->get(), kCliLockWaitSeconds);
  return Status::Ok();
}

// The CLI is trusted (it can write the database anyway), but a typo in a
// slug would store a comment no page ever shows: check the post exists.
// Through the build's source cache, so unchanged posts are not parsed.
Status CheckPublishedPost(const std::filesystem::path& site, SQLite::Database* db,
                          const std::string& slug) {
  kiln::BuildState state;
  KILN_RETURN_IF_ERROR(kiln::LoadBuildState(db, &state));
  kiln::SiteContent content;
  KILN_RETURN_IF_ERROR(kiln::LoadContent(site, false, &state.sources, &content));
  kiln::SiteIndex index(content, kiln::RealClock().NowSeconds());
  if (!index.FindPost(slug)) return Status::NotFound("no published post with slug '" + slug + "'");
  return Status::Ok();
}

int CommentAdd(const std::filesystem::path& site, kiln::NewComment c) {
  if (c.author.empty() || c.body.empty()) return Fail(Status::Invalid("--author and --body must not be empty"));
  std::unique_ptr<SQLite::Database> db;
  Status s = OpenComments(site, &db);
  if (!s.ok()) return Fail(s);
  if (!(s = CheckPublishedPost(site, db.get(), c.post)).ok()) return Fail(s);
  kiln::Comment stored;
  if (!(s = kiln::CommentStore(db.get()).Add(c, &stored)).ok()) return Fail(s);
  std::fprintf(stderr, "kiln: stored comment %lld on '%s' (%s); `kiln build` publishes it\n",
               static_cast<long long>(stored.id), stored.post.c_str(), stored.status.c_str());
  std::printf("%lld\n", static_cast<long long>(stored.id));
  return 0;
}

int CommentList(const std::filesystem::path& site, const std::string& post, const std::string& status, bool json) {
  std::unique_ptr<SQLite::Database> db;
  Status s = OpenComments(site, &db);
  if (!s.ok()) return Fail(s);
  std::vector<kiln::Comment> comments;
  if (!(s = kiln::CommentStore(db.get()).List(post, status, &comments)).ok()) return Fail(s);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& c : comments) {
    if (json) {
      list.push_back({{"id", c.id}, {"post", c.post}, {"author", c.author}, {"email", c.email},
                      {"body", c.body}, {"created_at", c.created_at}, {"status", c.status},
                      {"parent", c.parent ? nlohmann::ordered_json(*c.parent) : nlohmann::ordered_json()}});
      continue;
    }
    std::string first_line = c.body.substr(0, c.body.find('\n')).substr(0, 60);
    std::printf("%6lld  %-9s  %-20s  %s  %s: %s\n", static_cast<long long>(c.id), c.status.c_str(),
                c.post.c_str(), c.created_at.c_str(), c.author.c_str(), first_line.c_str());
  }
  if (json) std::cout << list.dump() << "\n";
  return 0;
}

int CommentChange(const std::filesystem::path& site, const std::vector<int64_t>& ids, const std::string& status) {
  std::unique_ptr<SQLite::Database> db;
  Status s = OpenComments(site, &db);
  if (!s.ok()) return Fail(s);
  kiln::CommentStore store(db.get());
  for (int64_t id : ids) {
    s = status.empty() ? store.Delete(id) : store.SetStatus(id, status);
    if (!s.ok()) return Fail(s);
    std::fprintf(stderr, "kiln: comment %lld %s\n", static_cast<long long>(id),
                 status.empty() ? "deleted" : ("now " + status).c_str());
  }
  return 0;
}

// `kiln deps URL`: what a page read when it was last rendered, and which of
// those dependencies changed since (ninja's -t deps, for pages).
int Deps(const std::filesystem::path& site, const std::string& url) {
  kiln::BuildOptions options;
  options.site_root = site;
  options.dry_run = true;
  options.inspect_url = url;
  kiln::BuildReport report;
  Status s = kiln::RunBuild(options, &report);
  if (!s.ok()) return Fail(s);
  if (report.inspected_output.empty()) {
    return Fail(Status::NotFound("no page " + url + " in the last build (URLs look like /posts/a/)"));
  }
  std::printf("%s -> site/%s\n", url.c_str(), report.inspected_output.c_str());
  for (const auto& d : report.inspected) {
    bool changed = d.stored != d.current;
    std::printf("  %s %-40s %s%s  (%s)\n", changed ? "*" : " ", d.key.c_str(), d.stored.c_str(),
                changed ? (" -> " + d.current).c_str() : "", d.description.c_str());
  }
  return 0;
}

// `kiln import disqus|isso FILE`: the summary on stderr (and as JSON on
// stdout with --json); a malformed file stores nothing and exits 1.
int Import(kiln::ImportOptions options, bool json) {
  options.lock_wait_seconds = kCliLockWaitSeconds;
  kiln::ImportSummary summary;
  Status s = kiln::RunImport(options, &summary);
  if (!s.ok()) return Fail(s);
  std::fprintf(stderr, "kiln: %s\n", kiln::DescribeImport(options, summary).c_str());
  if (json) std::cout << kiln::ImportSummaryToJson(options, summary) << "\n";
  return 0;
}

int Serve(kiln::ServeOptions options) {
  // The first build's progress line, where `kiln build` would show one.
  if (kiln::StatusLine::IsSmartTerminal(STDERR_FILENO)) options.first_build_progress = ProgressDelay();
  Status s = kiln::RunServer(options);
  return s.ok() ? 0 : Fail(s);
}

}  // namespace

int main(int argc, char** argv) {
  kiln::ConfigureSqlite();
  CLI::App app{"kiln: a static blog generator whose pages are cache entries keyed by what they show"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "kiln 0.1.0");
  std::filesystem::path site = ".";
  auto add_site = [&](CLI::App* cmd) {
    cmd->add_option("--site", site, "site root (default: the current folder)");
  };
  int code = 0;

  std::filesystem::path init_dir;
  std::string init_base_url;
  auto* init = app.add_subcommand("init", "create a new site with sample posts, templates and static files");
  init->add_option("DIR", init_dir, "folder to create")->required();
  init->add_option("--base-url", init_base_url,
                   "the address readers will use, e.g. https://blog.example/ (a path prefix works: "
                   "https://you.github.io/blog/); without it kiln.toml has a placeholder to change");
  init->callback([&] {
    Status s = kiln::InitSite(init_dir, init_base_url);
    if (!s.ok()) { code = Fail(s); return; }
    std::fprintf(stderr, "kiln: new site in %s\n  cd %s && kiln build && kiln serve --preview\n",
                 init_dir.c_str(), init_dir.c_str());
    if (init_base_url.empty()) {
      std::fprintf(stderr,
                   "kiln: base_url in kiln.toml is a placeholder (%s): set the address readers will use "
                   "before publishing (or make the site with `kiln init --base-url URL`)\n",
                   std::string(kiln::kPlaceholderBaseUrl).c_str());
    }
  });

  std::string post_title, post_tags;
  bool publish = false;
  auto* make = app.add_subcommand("new", "create content");
  auto* new_post = make->add_subcommand("post", "write content/posts/SLUG.md with its front matter (a draft)");
  new_post->add_option("TITLE", post_title, "the post's title")->required();
  new_post->add_option("--tags", post_tags, "comma-separated tags");
  new_post->add_flag("--publish", publish, "leave out `draft: true`: published by the next build");
  add_site(new_post);
  make->require_subcommand(1);
  new_post->callback([&] {
    kiln::NewPostRequest request;
    request.title = post_title;
    request.draft = !publish;
    request.now = kiln::RealClock().NowSeconds();
    for (size_t start = 0; start <= post_tags.size();) {
      const size_t comma = std::min(post_tags.find(',', start), post_tags.size());
      request.tags.push_back(post_tags.substr(start, comma - start));
      start = comma + 1;
    }
    std::string written;
    Status s = kiln::NewPost(site, request, &written);
    if (!s.ok()) { code = Fail(s); return; }
    std::printf("%s\n", (site / written).c_str());
    std::fprintf(stderr, "kiln: new post %s%s\n", written.c_str(),
                 publish ? "" : " (a draft: remove `draft: true` to publish it)");
  });

  BuildFlags build_flags;
  auto* build = app.add_subcommand("build", "build site/ incrementally (only pages whose inputs changed)");
  build->add_flag("--full", build_flags.full, "ignore the saved state and render every page");
  build->add_flag("--explain", build_flags.explain, "say, for each rendered page, which dependency changed");
  build->add_flag("--json", build_flags.json, "print the build report as JSON on stdout");
  build->add_flag("--dry-run", build_flags.dry_run, "say what would be rendered (with --explain: why); change nothing");
  build->add_flag("--allow-empty-comments", build_flags.allow_empty_comments,
                  "build even if kiln.db is missing or lost the comments site/ shows");
  build->add_flag("-q,--quiet", build_flags.quiet,
                  "print errors only: no progress line, summary, notes or warnings "
                  "(--explain and --json still print)");
  add_site(build);
  build->callback([&] { code = Build(site, build_flags); });

  std::string deps_url;
  auto* deps = app.add_subcommand("deps", "show what a page depends on and what changed since its last render");
  deps->add_option("URL", deps_url, "the page, e.g. /posts/hello-kiln/")->required();
  add_site(deps);
  deps->callback([&] { code = Deps(site, deps_url); });

  kiln::ServeOptions serve_options;
  std::string host;
  int port = -1;
  auto* serve = app.add_subcommand("serve", "serve site/, take comments, rebuild on demand");
  serve->add_option("--port", port, "port (default: [server] port, else 8080; 0 = any free port)")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--host", host, "address to bind (default: [server] host, else 127.0.0.1)");
  serve->add_flag("--watch", serve_options.watch, "rebuild on changes and live-reload open pages");
  serve->add_flag("--preview", serve_options.preview,
                  "link pages to the address served on instead of base_url (never written to site/)");
  add_site(serve);
  serve->callback([&] {
    serve_options.site_root = site;
    if (!host.empty()) serve_options.host = host;
    if (port >= 0) serve_options.port = port;
    code = Serve(serve_options);
  });

  auto* comment = app.add_subcommand("comment", "add, list, approve or delete comments");
  comment->require_subcommand(1);
  add_site(comment);
  kiln::NewComment new_comment;
  auto* add = comment->add_subcommand("add", "store a comment (published at once: the CLI is trusted)");
  add->add_option("--post", new_comment.post, "slug of the post")->required();
  add->add_option("--author", new_comment.author, "name shown")->required();
  add->add_option("--body", new_comment.body, "markdown text")->required();
  add->add_option("--email", new_comment.email, "never shown");
  add->add_option("--status", new_comment.status, "published, pending or spam")
      ->check(CLI::IsMember({"published", "pending", "spam"}));
  int64_t reply_to = 0;
  add->add_option("--parent", reply_to, "id of the published comment of the same post this answers")
      ->check(CLI::PositiveNumber);
  add_site(add);
  add->callback([&] {
    if (reply_to > 0) new_comment.parent = reply_to;
    code = CommentAdd(site, new_comment);
  });

  std::string list_post, list_status;
  bool list_json = false;
  auto* list = comment->add_subcommand("list", "list comments, oldest first");
  list->add_option("--post", list_post, "only this post");
  list->add_option("--status", list_status, "only this status")
      ->check(CLI::IsMember({"published", "pending", "spam"}));
  list->add_flag("--json", list_json, "print JSON");
  add_site(list);
  list->callback([&] { code = CommentList(site, list_post, list_status, list_json); });

  std::vector<int64_t> ids;
  auto* approve = comment->add_subcommand("approve", "publish held comments");
  approve->add_option("ID", ids, "comment ids")->required();
  add_site(approve);
  approve->callback([&] { code = CommentChange(site, ids, "published"); });
  auto* spam = comment->add_subcommand("spam", "mark comments as spam (hidden)");
  spam->add_option("ID", ids, "comment ids")->required();
  add_site(spam);
  spam->callback([&] { code = CommentChange(site, ids, "spam"); });
  auto* del = comment->add_subcommand("delete", "delete comments for good");
  del->add_option("ID", ids, "comment ids")->required();
  add_site(del);
  del->callback([&] { code = CommentChange(site, ids, ""); });

  kiln::ImportOptions import_options;
  bool import_json = false;
  auto* import = app.add_subcommand("import", "import the comments of Disqus (XML export) or Isso (SQLite database)");
  import->add_option("FORMAT", import_options.format, "disqus or isso")
      ->required()
      ->check(CLI::IsMember({"disqus", "isso"}));
  import->add_option("FILE", import_options.file, "the Disqus export (.xml) or the Isso database (.db)")->required();
  import->add_flag("--dry-run", import_options.dry_run, "say what would be imported; store nothing");
  import->add_flag("--json", import_json, "print the summary as JSON on stdout");
  add_site(import);
  import->callback([&] {
    import_options.site_root = site;
    code = Import(import_options, import_json);
  });

  int last = 100;
  bool stats_json = false;
  auto* stats = app.add_subcommand("stats", "how often pages were regenerated vs reused");
  stats->add_option("--last", last, "number of recent builds (default 100)")->check(CLI::PositiveNumber);
  stats->add_flag("--json", stats_json, "print JSON");
  add_site(stats);
  stats->callback([&] {
    std::string text;
    Status s = kiln::FormatStats(site, last, stats_json, &text);
    if (!s.ok()) { code = Fail(s); return; }
    std::cout << text;
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int exit = app.exit(e);
    return exit == 0 ? 0 : kExitUsage;
  }
  return code;
}
