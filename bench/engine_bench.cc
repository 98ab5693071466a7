// Google Benchmark suites for the inner parts of a build, each over a range of
// sizes (STYLE.md, "Benchmarks": scaling, not one point). Whole builds against
// a peer are measured by bench/build_bench.sh; this file says where a build's
// time goes as a site grows.
//
// Implementation details. Sites are generated here, deterministically, into
// one temp folder per size that lives for the whole process (the same site
// serves every benchmark of that size), and removed at exit. Generated
// sources get an mtime an hour in the past: kiln re-reads a file whose mtime
// is within a second of its last read ("racily clean", util/fs.h), and a
// freshly written site would otherwise look dirty to the first no-op builds.
// All setup happens before the timed loop.

#include <SQLiteCpp/SQLiteCpp.h>
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/build.h"
#include "engine/comment_records.h"
#include "engine/fingerprints.h"
#include "engine/site_snapshot.h"
#include "init/site_init.h"
#include "load/content_loader.h"
#include "load/front_matter.h"
#include "load/site_index.h"
#include "render/comment_markdown.h"
#include "render/markdown.h"
#include "render/page_plan.h"
#include "store/build_state.h"
#include "store/comment_store.h"
#include "store/database.h"
#include "store/manifest.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

void Check(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "engine_bench: %s: %s\n", what, s.ToString().c_str());
    std::abort();
  }
}

// --- a deterministic corpus, shaped like ../shared/corpus/gen_corpus.py --

const char* const kWords[] = {
    "cache", "queue", "buffer", "thread", "request", "response", "server", "client", "index",
    "table", "query", "page", "build", "layout", "template", "render", "parser", "token",
    "stream", "file", "disk", "memory", "latency", "benchmark", "profile", "trace", "error",
    "retry", "timeout", "release", "commit", "module", "function", "pointer", "socket",
    "header", "payload", "event", "state", "graph", "tree", "node", "edge", "hash", "lock",
    "the", "a", "of", "to", "in", "for", "with", "is", "are", "we", "it", "often", "never"};
const char* const kTags[] = {"rust", "go", "python", "cpp", "databases", "sqlite", "caching",
                             "http", "security", "compilers", "performance", "testing",
                             "linux", "web", "css", "design", "writing", "tooling",
                             "static-sites", "storage"};

class TextGen {
 public:
  explicit TextGen(uint32_t seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::string Word() { return kWords[Int(0, std::size(kWords) - 1)]; }
  std::string Words(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += (i ? " " : "") + Word();
    return s;
  }
  std::string Sentence() {
    std::string s = Words(Int(6, 16));
    s[0] = static_cast<char>(std::toupper(s[0]));
    return s + ".";
  }
  std::string Paragraph() {
    std::string p;
    int n = Int(3, 6);
    for (int i = 0; i < n; ++i) {
      std::string s = Sentence();
      switch (Int(0, 5)) {
        case 0: s = "*" + Word() + "* " + s; break;
        case 1: s = "`" + Word() + "()` " + s; break;
        case 2: s = "[" + Words(2) + "](https://example.com/" + Word() + ") " + s; break;
        case 3: s = "**" + Word() + "** " + s; break;
        default: break;
      }
      p += (i ? " " : "") + s;
    }
    return p;
  }
  // Markdown of about `bytes` bytes: headings, paragraphs, a list, a fenced
  // code block and, in one post of five, a GFM table.
  std::string Body(size_t bytes) {
    std::string b;
    bool list = false, code = false, table = Int(0, 4) == 0;
    while (b.size() < bytes) {
      int k = Int(0, 9);
      if (k == 0) {
        b += "## " + Words(Int(2, 5)) + "\n\n";
      } else if (k == 1 && !list) {
        list = true;
        for (int i = Int(3, 6); i > 0; --i) b += "- " + Words(Int(4, 10)) + "\n";
        b += "\n";
      } else if (k == 2 && !code) {
        code = true;
        b += "```cpp\nint " + Word() + "(int x) {\n  return x * " + std::to_string(Int(2, 9)) +
             ";\n}\n```\n\n";
      } else if (k == 3 && table) {
        table = false;
        b += "| name | value | note |\n| --- | ---: | --- |\n";
        for (int i = Int(2, 5); i > 0; --i) {
          b += "| " + Word() + " | " + std::to_string(Int(1, 999)) + " | " + Words(3) + " |\n";
        }
        b += "\n";
      } else {
        b += Paragraph() + "\n\n";
      }
    }
    return b;
  }
  std::string Post(int i, size_t body_bytes, std::string* slug) {
    std::string title = Words(Int(3, 6));
    title[0] = static_cast<char>(std::toupper(title[0]));
    *slug = "post-" + std::to_string(i);
    char date[32];
    // One post a day from 2012 on, all in the past.
    int64_t t = 1325376000 + int64_t{i} * 86400 + Int(0, 80000);
    std::time_t tt = static_cast<std::time_t>(t);
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&tt));
    std::string tags;
    for (int n = Int(1, 3), j = 0; j < n; ++j) {
      tags += std::string(j ? ", " : "") + "\"" + kTags[Int(0, std::size(kTags) - 1)] + "\"";
    }
    return "---\ntitle: \"" + title + "\"\ndate: " + date + "\ntags: [" + tags +
           "]\nsummary: \"" + Sentence() + "\"\n---\n\n" + Body(body_bytes);
  }

 private:
  std::mt19937 rng_;
};

fs::path TempRoot() {
  static const fs::path root = [] {
    fs::path p = fs::temp_directory_path() /
                 ("kiln-engine-bench-" + std::to_string(::getpid()));
    fs::create_directories(p);
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(fs::temp_directory_path() /
                         ("kiln-engine-bench-" + std::to_string(::getpid())),
                     ec);
    });
    return p;
  }();
  return root;
}

// A kiln site of `posts` generated posts (plus the sample site's own), five
// comments a post spread Zipf-like, built once so the state is saved.
fs::path SiteOf(int posts) {
  static std::map<int, fs::path> sites;
  auto it = sites.find(posts);
  if (it != sites.end()) return it->second;
  fs::path root = TempRoot() / ("site-" + std::to_string(posts));
  Check(InitSite(root), "init");
  TextGen gen(1);
  const auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(1);
  std::vector<std::string> slugs;
  for (int i = 0; i < posts; ++i) {
    std::string slug;
    std::string text = gen.Post(i, static_cast<size_t>(gen.Int(1500, 5500)), &slug);
    fs::path file = root / "content" / "posts" / (slug + ".md");
    std::ofstream(file, std::ios::binary) << text;
    fs::last_write_time(file, old_time);
    slugs.push_back(slug);
  }
  for (auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) fs::last_write_time(entry.path(), old_time);
  }
  {
    std::unique_ptr<SQLite::Database> db;
    Check(OpenDatabase(root / "kiln.db", &db), "open db");
    SQLite::Transaction tx(*db);
    SQLite::Statement insert(*db,
                             "INSERT INTO comments(post, author, body, created_at) VALUES (?, ?, ?, ?)");
    std::mt19937 rng(7);
    // Zipf-like: comment c goes to post floor(posts * u^3), so a few get most.
    std::uniform_real_distribution<double> u(0, 1);
    for (int c = 0; c < 5 * posts; ++c) {
      double x = u(rng);
      size_t p = static_cast<size_t>(posts * x * x * x);
      insert.bind(1, slugs[std::min(p, slugs.size() - 1)]);
      insert.bind(2, "Reader " + std::to_string(c % 97));
      insert.bind(3, "I *liked* this, see [here](https://example.org/" + std::to_string(c) + ").");
      insert.bind(4, "2024-01-01T00:00:00Z");
      insert.exec();
      insert.reset();
    }
    tx.commit();
  }
  BuildReport report;
  BuildOptions options;
  options.site_root = root;
  Check(RunBuild(options, &report), "first build");
  Check(RunBuild(options, &report), "settling build");
  sites[posts] = root;
  return root;
}

// --- whole builds, in-process ----------------------------------------------

void BM_NoOpBuild(benchmark::State& state) {
  BuildOptions options;
  options.site_root = SiteOf(static_cast<int>(state.range(0)));
  BuildReport report;
  for (auto _ : state) {
    Check(RunBuild(options, &report), "no-op build");
    if (!report.rendered.empty()) state.SkipWithError("a no-op build rendered pages");
  }
  state.counters["pages"] = static_cast<double>(report.pages);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(report.pages));
}
BENCHMARK(BM_NoOpBuild)->Arg(100)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond);

void BM_FullBuild(benchmark::State& state) {
  BuildOptions options;
  options.site_root = SiteOf(static_cast<int>(state.range(0)));
  options.full = true;
  BuildReport report;
  for (auto _ : state) Check(RunBuild(options, &report), "full build");
  state.counters["pages"] = static_cast<double>(report.pages);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(report.pages));
}
BENCHMARK(BM_FullBuild)->Arg(100)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond);

// --- the steps of a no-op build --------------------------------------------

void BM_LoadBuildState(benchmark::State& state) {
  fs::path root = SiteOf(static_cast<int>(state.range(0)));
  std::unique_ptr<SQLite::Database> db;
  Check(OpenDatabase(root / "kiln.db", &db), "open db");
  for (auto _ : state) {
    BuildState s;
    Check(LoadBuildState(db.get(), &s), "load state");
    benchmark::DoNotOptimize(s.pages.size());
  }
}
BENCHMARK(BM_LoadBuildState)->Arg(100)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond);

// The site snapshot a comment build of `kiln build` reads instead of the
// source cache (engine/site_snapshot.h): decoding it and making the site
// index from it. Each iteration also frees what it decoded, which kiln, at
// exit, does not.
void BM_LoadSiteSnapshot(benchmark::State& state) {
  fs::path root = SiteOf(static_cast<int>(state.range(0)));
  std::unique_ptr<SQLite::Database> db;
  Check(OpenDatabase(root / "kiln.db", &db), "open db");
  Manifest manifest;
  bool found = false;
  uint64_t key = 0;
  Check(LoadManifest(db.get(), &manifest, &found, &key), "load manifest");
  if (!found) {
    state.SkipWithError("no build manifest");
    return;
  }
  for (auto _ : state) {
    ResidentState loaded;
    if (!LoadSiteSnapshot(root, root / ".kiln" / "site-snapshot", key, &loaded)) {
      state.SkipWithError("no site snapshot for the saved manifest");
      break;
    }
    benchmark::DoNotOptimize(loaded.plan.size());
  }
}
BENCHMARK(BM_LoadSiteSnapshot)->Arg(100)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond);

// LoadContent with every file's stat unchanged: the stat-and-copy path.
void BM_LoadContentUnchanged(benchmark::State& state) {
  fs::path root = SiteOf(static_cast<int>(state.range(0)));
  std::unique_ptr<SQLite::Database> db;
  Check(OpenDatabase(root / "kiln.db", &db), "open db");
  BuildState saved;
  Check(LoadBuildState(db.get(), &saved), "load state");
  for (auto _ : state) {
    SourceCache cache = saved.sources;
    SiteContent content;
    Check(LoadContent(root, false, &cache, &content), "load content");
    benchmark::DoNotOptimize(content.posts.size());
  }
}
BENCHMARK(BM_LoadContentUnchanged)->Arg(100)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond);

// Every dependency key of every page, fingerprinted by a fresh calculator
// (memoized per build, as in a build), against the saved state.
void BM_FingerprintAllPages(benchmark::State& state) {
  fs::path root = SiteOf(static_cast<int>(state.range(0)));
  std::unique_ptr<SQLite::Database> db;
  Check(OpenDatabase(root / "kiln.db", &db), "open db");
  BuildState saved;
  Check(LoadBuildState(db.get(), &saved), "load state");
  SourceCache cache = saved.sources;
  SiteContent content;
  Check(LoadContent(root, false, &cache, &content), "load content");
  SiteIndex index(content, 2'000'000'000);
  std::vector<PageSpec> plan = PlanPages(index);
  CommentStore store(db.get());
  std::map<std::string, CommentRecord> comments;
  Check(RefreshCommentRecords(&store, saved.comments, false, &comments), "comment records");
  int64_t keys = 0;
  for (auto _ : state) {
    FingerprintCalculator calc(index, plan, comments, saved.sources);
    keys = 0;
    for (const auto& [url, page] : saved.pages) {
      for (const auto& [key, fp] : page.deps) {
        benchmark::DoNotOptimize(calc.Of(key));
        ++keys;
      }
    }
  }
  state.counters["keys"] = static_cast<double>(keys);
  state.SetItemsProcessed(state.iterations() * keys);
}
BENCHMARK(BM_FingerprintAllPages)->Arg(100)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond);

// RefreshCommentRecords when K posts' comment versions moved (K of 4000).
void BM_RefreshCommentRecords(benchmark::State& state) {
  fs::path root = SiteOf(4000);
  std::unique_ptr<SQLite::Database> db;
  Check(OpenDatabase(root / "kiln.db", &db), "open db");
  CommentStore store(db.get());
  std::map<std::string, CommentRecord> old;
  Check(RefreshCommentRecords(&store, {}, true, &old), "comment records");
  // The function only reads `old`: staling K versions once makes every
  // iteration re-read exactly K posts.
  int64_t k = state.range(0);
  int64_t staled = 0;
  for (auto& [post, rec] : old) {
    if (staled == k) break;
    rec.version = -1;
    ++staled;
  }
  for (auto _ : state) {
    std::map<std::string, CommentRecord> out;
    Check(RefreshCommentRecords(&store, old, false, &out), "comment records");
    benchmark::DoNotOptimize(out.size());
  }
  state.counters["posts_with_comments"] = static_cast<double>(old.size());
  state.counters["changed"] = static_cast<double>(staled);
}
BENCHMARK(BM_RefreshCommentRecords)->Arg(0)->Arg(1)->Arg(10)->Arg(100)->Arg(1000)->Arg(4000)
    ->Unit(benchmark::kMicrosecond);

// --- per-file work of a full build -------------------------------------------

std::string PostOfSize(size_t bytes) {
  TextGen gen(42);
  std::string slug;
  return gen.Post(7, bytes, &slug);
}

void BM_ParsePostFile(benchmark::State& state) {
  const std::string text = PostOfSize(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    PostMeta meta;
    Check(ParsePostFile("content/posts/post-7.md", text, &meta, nullptr), "parse");
    benchmark::DoNotOptimize(meta.body_hash);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ParsePostFile)->Arg(1 << 10)->Arg(4 << 10)->Arg(16 << 10)->Arg(64 << 10);

void BM_RenderTrustedMarkdown(benchmark::State& state) {
  const std::string text(BodyOf(PostOfSize(static_cast<size_t>(state.range(0)))));
  for (auto _ : state) benchmark::DoNotOptimize(RenderTrustedMarkdown(text));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_RenderTrustedMarkdown)->Arg(1 << 10)->Arg(4 << 10)->Arg(16 << 10)->Arg(64 << 10);

// A comment body with emphasis, links (one of them hostile) and raw HTML.
void BM_RenderCommentMarkdown(benchmark::State& state) {
  std::string text;
  TextGen gen(3);
  while (text.size() < static_cast<size_t>(state.range(0))) {
    text += gen.Paragraph() + " <script>alert(1)</script> [x](javascript:alert(1))\n\n";
  }
  for (auto _ : state) benchmark::DoNotOptimize(RenderCommentMarkdown(text));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_RenderCommentMarkdown)->Arg(100)->Arg(1000)->Arg(10000);

}  // namespace
}  // namespace kiln
