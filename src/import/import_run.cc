#include "import/import_run.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <memory>

#include "import/disqus_export.h"
#include "import/isso_database.h"
#include "import/thread_matcher.h"
#include "load/content_loader.h"
#include "store/build_state.h"
#include "store/database.h"

namespace kiln {
namespace {

Status ReadForeign(const ImportOptions& options, ForeignComments* out) {
  if (options.format == "disqus") return ReadDisqusExport(options.file, out);
  if (options.format == "isso") return ReadIssoDatabase(options.file, out);
  return Status::Invalid("unknown import format '" + options.format + "' (disqus or isso)");
}

// The site's posts, through the build's source cache (unchanged posts are
// not parsed again), with their URLs.
Status LoadSitePosts(const std::filesystem::path& site, SQLite::Database* db, SiteContent* content) {
  BuildState state;
  KILN_RETURN_IF_ERROR(LoadBuildState(db, &state));
  return LoadContent(site, false, &state.sources, content);
}

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

Status RunImport(const ImportOptions& options, ImportSummary* summary) {
  ForeignComments foreign;
  KILN_RETURN_IF_ERROR(ReadForeign(options, &foreign));
  const std::filesystem::path config = options.site_root / "kiln.toml";
  if (!std::filesystem::exists(config)) {
    return Status::NotFound("missing site configuration (is this a kiln site?)", config.string());
  }
  std::unique_ptr<SQLite::Database> db;
  KILN_RETURN_IF_ERROR(OpenDatabase(options.site_root / "kiln.db", &db));
  if (options.lock_wait_seconds > 0) WaitLongerForLocks(db.get(), options.lock_wait_seconds);
  SiteContent content;
  KILN_RETURN_IF_ERROR(LoadSitePosts(options.site_root, db.get(), &content));
  const ThreadMatcher matcher(content);
  std::map<std::string, std::string> thread_posts;
  for (const ForeignThread& thread : foreign.threads) thread_posts[thread.id] = matcher.Match(thread.url);
  return ImportComments(db.get(), foreign, thread_posts, options.dry_run, summary);
}

std::string DescribeImport(const ImportOptions& options, const ImportSummary& s) {
  std::string line = std::string(options.dry_run ? "dry run: would import " : "imported ") +
                     Plural(s.imported, "comment", "comments") + " on " + Plural(s.per_post.size(), "post", "posts") +
                     " from " + options.file.string() + " (" + Plural(s.replies, "reply", "replies");
  for (const auto& [status, n] : s.per_status) {
    if (status != "published") line += ", " + std::to_string(n) + " " + status;
  }
  line += "); " + Plural(s.duplicates, "duplicate", "duplicates") + " skipped, " + std::to_string(s.deleted) +
          " deleted skipped, " + Plural(s.unmatched_threads.size(), "unmatched thread", "unmatched threads");
  if (!s.unmatched_threads.empty()) {
    line += " (" + Plural(s.unmatched_comments, "comment", "comments") + " skipped):";
    for (const auto& url : s.unmatched_threads) line += " " + url;
  }
  return line;
}

std::string ImportSummaryToJson(const ImportOptions& options, const ImportSummary& s) {
  nlohmann::ordered_json j;
  j["imported"] = s.imported;
  j["duplicates"] = s.duplicates;
  j["deleted"] = s.deleted;
  j["unmatched_comments"] = s.unmatched_comments;
  j["unmatched_threads"] = s.unmatched_threads;
  j["posts"] = s.per_post;
  j["statuses"] = s.per_status;
  j["replies"] = s.replies;
  j["dry_run"] = options.dry_run;
  return j.dump();
}

}  // namespace kiln
