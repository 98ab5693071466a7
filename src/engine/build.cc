#include "engine/build.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "edge/headers_file.h"
#include "engine/build_progress.h"
#include "engine/comment_guard.h"
#include "engine/comment_records.h"
#include "engine/fingerprints.h"
#include "engine/quick_check.h"
#include "engine/resident_state.h"
#include "engine/site_snapshot.h"
#include "load/content_loader.h"
#include "load/site_index.h"
#include "output/file_janitor.h"
#include "output/site_writer.h"
#include "render/dep_recorder.h"
#include "render/page_plan.h"
#include "render/page_renderer.h"
#include "render/template_set.h"
#include "store/build_history.h"
#include "store/build_state.h"
#include "store/comment_changes.h"
#include "store/comment_deps.h"
#include "store/comment_store.h"
#include "store/content_deps.h"
#include "store/database.h"
#include "store/manifest.h"
#include "store/statement_cache.h"
#include "store/wal_checkpointer.h"
#include "store/write_transaction.h"
#include "util/clock.h"
#include "util/cores.h"
#include "util/strings.h"
#include "util/time_format.h"

namespace kiln {
namespace {

// Implementation details. A build is a flat sequence of steps (Run()):
//   TakeResident     in `kiln serve`, the state the last build left in
//                    memory (engine/resident_state.h), when it is provably
//                    current: QuickCheck and Load are then skipped;
//   QuickCheck       stat the inputs and compare with the last manifest; when
//                    nothing changed, stop (engine/quick_check.h); when only
//                    comments changed, every later step works on just the
//                    pages that show them (the "comment path");
//   TakeSnapshot     on the comment path of `kiln build`: the site
//                    snapshot instead of loading content, plan, templates;
//   TakeEdits        when only posts' and pages' files were edited in place
//                    and moved no page, listing or tag: the snapshot with
//                    the edited files read again, and only the pages the
//                    content index lists for what they change (the "edit
//                    path", which then goes on as the comment path does);
//   Load             the state, kiln.toml, content metadata (through the
//                    source cache: stat first), template and static hashes;
//   Plan             the outputs: pages from metadata alone, static files;
//   RefreshComments  one query of comment_versions, comments read only for
//                    posts whose version moved (in one read transaction);
//   DecideAll        which outputs are dirty, recording why (--explain);
//   RenderDirty      every dirty page, on all cores: a few pages into
//                    memory, so that a template or content error stops here
//                    before site/ is touched; from kStreamedWriteAt pages
//                    on, removals first, then each page written by the
//                    thread that rendered it (memory bounded; an error
//                    leaves site/ as a crash would, repaired next build);
//   Write            removals, then writes, through SiteWriter (the few
//                    pages kept in memory), then _headers;
//   Finish           the state, manifest and figures saved in one
//                    transaction; then the resident state kept, if any.
// A crash between Write and Finish leaves the old state marked "writing":
// the next build renders every page (inputs may have been reverted
// meanwhile) and writes only the files whose bytes differ.

// From this many dirty pages, RenderDirty writes each page as soon as it is
// rendered. Below, a build renders everything before it writes anything:
// a comment's few pages are then all or nothing when a render fails.
constexpr size_t kStreamedWriteAt = 64;

// One file of site/: a rendered page or a copied static file.
struct Output {
  explicit Output(const PageSpec& s) : spec(s) {}
  // An entry of the plan, or of the static files' specs (url "/x", kind
  // "static", key = source path); not a copy of it: at 100,000 posts the
  // copies were 35 MB of a full build's peak.
  const PageSpec& spec;
  bool dirty = false;
  std::string reason;   // why it is dirty, for --explain
  std::string bytes;    // rendered or copied, when dirty
  PageRecord record;    // what the state will hold for it
};

// Stats groups pages as the question "how often is the home page
// regenerated?" asks: all listing pages are "home", the tag index is "tag".
std::string StatsKind(const std::string& kind) {
  if (kind == "list") return "home";
  if (kind == "tags") return "tag";
  if (kind == "tagfeed") return "feed";
  if (kind == "home" || kind == "post" || kind == "tag" || kind == "feed" || kind == "page") return kind;
  return "other";
}

// Test hook (tests/engine/incremental_property_test.cc, crash_safety_test.cc):
// KILN_TEST_STREAMED_WRITE_AT=N moves kStreamedWriteAt, so small test sites
// take the path of large ones too.
size_t StreamedWriteAt() {
  const char* at = std::getenv("KILN_TEST_STREAMED_WRITE_AT");
  if (!at || !*at) return kStreamedWriteAt;
  return static_cast<size_t>(std::strtoul(at, nullptr, 10));
}

// Test hook (tests/engine/crash_safety_test.cc): SIGKILL this process at the
// named point of the state save when KILN_TEST_CRASH_AT names it, as a power
// cut or the OOM killer would.
void CrashPointForTests(const char* point) {
  const char* at = std::getenv("KILN_TEST_CRASH_AT");
  if (at && std::strcmp(at, point) == 0) ::kill(::getpid(), SIGKILL);
}

class Build {
 public:
  Build(const BuildOptions& options, BuildReport* report)
      : options_(options), report_(report), root_(options.site_root),
        writer_(options.site_root / "site", options.site_root / ".kiln" / "tmp"),
        // A dry run or an inspection changes nothing and keeps nothing.
        mem_(options.dry_run || !options.inspect_url.empty() ? nullptr : options.resident),
        // `kiln build` (no resident state of its own) keeps the site
        // snapshot for the next process; a dry run or inspection does not.
        use_snapshot_(!options.resident && !options.dry_run && options.inspect_url.empty()) {}

  ~Build() { HandOverRetiredFiles(); }  // those of a build that failed after writing

  // The old files the writes replaced or removed go to the janitor, which
  // deletes them while the build saves (or, in the server, after it).
  void HandOverRetiredFiles() { janitor_->Delete(writer_.TakeRetired()); }

  // Ends the read transaction, closes kiln.db (its WAL checkpointed and
  // emptied, as at any close) and then releases the build lock, as the
  // destructor would: for a process about to exit that skips it.
  void CloseStore() {
    if (prefetch_.joinable()) prefetch_.join();  // before the exit frees what it uses
    HandOverRetiredFiles();                      // those of a build that failed after writing
    own_janitor_.Wait();
    read_tx_.reset();
    db_.reset();
    disk_state_.db.reset();  // KeepResident may have handed it there
    if (lock_.fd >= 0) ::close(lock_.fd);
    lock_.fd = -1;
  }

  Status Run() {
    KILN_RETURN_IF_ERROR(Open());
    KILN_RETURN_IF_ERROR(TakeResident(options_.files_unchanged));
    if (!resident_) KILN_RETURN_IF_ERROR(QuickCheck());
    if (held_ && verdict_ != Verdict::kChanged) {
      KILN_RETURN_IF_ERROR(TakeHeld());
    } else if (comment_path() && use_snapshot_) {
      KILN_RETURN_IF_ERROR(TakeSnapshot());
    } else if (may_edit_) {
      KILN_RETURN_IF_ERROR(TakeEdits());
    }
    if (!resident_ && held_) DropHeld();  // the normal path: it loads everything again
    if (verdict_ == Verdict::kUnchanged) return FinishUnchanged();
    if (verdict_ == Verdict::kChanged || !report_->snapshot) StopMappingFile();
    Report(BuildProgress::Step::kLoading);
    KILN_RETURN_IF_ERROR(Load());
    KILN_RETURN_IF_ERROR(Plan());
    KILN_RETURN_IF_ERROR(RefreshComments());
    if (options_.after_comments_read_for_tests) options_.after_comments_read_for_tests();
    DecideAll();
    if (!options_.inspect_url.empty()) Inspect(options_.inspect_url);
    if (options_.dry_run) return FinishDryRun();
    KILN_RETURN_IF_ERROR(RenderDirty());
    KILN_RETURN_IF_ERROR(Write());
    HandOverRetiredFiles();
    Report(BuildProgress::Step::kSaving);
    return Finish();
  }

 private:
  void Report(BuildProgress::Step step, size_t total = 0) {
    if (options_.progress) options_.progress->BeginStep(step, total);
  }

  Status Open() {
    if (!std::filesystem::exists(root_ / "kiln.toml")) {
      return Status::NotFound("missing site configuration (is this a kiln site? try `kiln init`)",
                              (root_ / "kiln.toml").string());
    }
    KILN_RETURN_IF_ERROR(LockSite());
    KILN_RETURN_IF_ERROR(CheckStoreIsThere(root_, options_.allow_empty_comments));
    struct stat st;
    const bool identified = ::stat((root_ / "kiln.db").c_str(), &st) == 0;
    if (identified) {
      db_device_ = static_cast<uint64_t>(st.st_dev);
      db_inode_ = static_cast<uint64_t>(st.st_ino);
    }
    // The resident engine's connection, while kiln.db is the same file (a
    // file put in its place, a restored backup, needs a new connection).
    if (mem_ && mem_->db && identified && mem_->db_device == db_device_ && mem_->db_inode == db_inode_) {
      db_ = std::move(mem_->db);
      return Status::Ok();
    }
    KILN_RETURN_IF_ERROR(OpenDatabase(root_ / "kiln.db", &db_));
    if (options_.checkpointer) options_.checkpointer->Attach(db_.get());
    // The server's engine keeps this connection from build to build.
    if (options_.resident) KeepWalFileBetweenCheckpoints(db_.get());
    // A one-off build that may stop early (a no-op, a comment build) reads
    // the 0.5 MB manifest (4,000 posts) and a little more: mapped, each
    // page is no longer a fresh page-cache buffer to fault in, then a copy.
    // A no-op's page faults 902 -> 775, its CPU time 47 -> 42 ms (perf
    // stat, 30 runs, three rounds). Run() stops mapping once the build
    // turns out to be larger. The server's connections stay unmapped
    // (store/database.h).
    if (!options_.resident && !options_.full) {
      MapFileForReading(db_.get(), true);
      db_mapped_ = true;
    }
    // Identified after the open too: the open may have created the file.
    if (::stat((root_ / "kiln.db").c_str(), &st) == 0) {
      db_device_ = static_cast<uint64_t>(st.st_dev);
      db_inode_ = static_cast<uint64_t>(st.st_ino);
    }
    return Status::Ok();
  }

  // Stats every input before anything reads it: the manifest saved at the
  // end records these stats, so an edit made while this build runs is seen
  // by the next one. Only a plain incremental build may stop here.
  Status QuickCheck() {
    const bool may_skip = !options_.full && !options_.dry_run && options_.inspect_url.empty();
    outputs_checked_ = false;
    may_edit_ = false;
    // The inputs are walked on a second core from the start, and that core
    // then helps this one check that the last build's outputs still exist,
    // which this one starts once it has loaded the manifest (quick_check.h):
    // at 4,000 posts the three are 3, 9 and 13 ms, one after another here
    // before, now about half the sum on two cores.
    OutputPresenceCheck output_check(root_);
    Status walked = Status::Ok();
    const int64_t observed_ns = NowNanoseconds();
    std::thread walker([&] {
      // Nothing may escape a thread (std::terminate): an exception is this
      // step's error, as RunBuild makes it for the rest of the build.
      try {
        walked = WalkInputs(root_, observed_ns, &input_walk_,
                            may_skip && (use_snapshot_ || held_) ? &walked_files_ : nullptr);
      } catch (const std::exception& e) {
        walked = Status::Io(std::string("cannot stat the inputs: ") + e.what(), root_.string());
      }
      output_check.Help();
    });
    // Should this thread throw before it publishes and joins below, the
    // walker is released from Help() and joined all the same.
    struct ReleaseAndJoin {
      OutputPresenceCheck& check;
      std::thread& thread;
      ~ReleaseAndJoin() {
        check.Publish(nullptr);  // does nothing once published
        if (thread.joinable()) thread.join();
      }
    } release_and_join{output_check, walker};
    bool found = false;
    Status status = Status::Ok();
    if (may_skip) status = LoadManifest(db_.get(), &last_manifest_, &found, &snapshot_key_);
    // The comment log's head, read once, before anything reads a comment: a
    // comment stored after this is the next build's, never lost.
    int64_t comment_seq = 0;
    if (status.ok() && found) status = ReadCommentSeq(db_.get(), &comment_seq);
    if (!status.ok()) found = false;
    if (found && use_snapshot_ && comment_seq > last_manifest_.comment_seq) PrefetchSnapshot();
    // With a resident state held too (the server after a file change): a
    // file deleted from site/ by hand sends the build to the normal path,
    // which restores it. On this thread, otherwise idle while the other
    // walks the inputs, it cost an edit about 1.5 ms at 4,000 posts (19.5
    // against 17.9 ms from the manifest read to the join, medians).
    output_check.Publish(found ? &last_manifest_.outputs : nullptr);
    output_check.Help();
    walker.join();
    KILN_RETURN_IF_ERROR(status);
    KILN_RETURN_IF_ERROR(walked);
    if (!found) return Status::Ok();
    const std::string missing_output = output_check.missing();
    outputs_checked_ = missing_output.empty();
    std::string why;
    KILN_RETURN_IF_ERROR(CheckUnchanged(db_.get(), last_manifest_, input_walk_, missing_output,
                                        comment_seq, NowSeconds(), &verdict_, &why));
    // An empty resident state is filled by loading everything, as the
    // incremental path does: the server's first build after a start (or
    // after another process built) pays once what later builds skip.
    // (A held one is taken as it is: Run, TakeHeld.)
    if (verdict_ == Verdict::kUnchanged && mem_ && !held_) verdict_ = Verdict::kChanged;
    // Perhaps only posts' or pages' files were edited (TakeEdits): from the
    // site snapshot (`kiln build`) or the held resident state (`kiln serve`).
    may_edit_ = verdict_ == Verdict::kChanged && may_skip && ((use_snapshot_ && !mem_) || held_) &&
                missing_output.empty() && input_walk_.count == last_manifest_.input_count;
    if (verdict_ != Verdict::kCommentsOnly) return Status::Ok();
    bool index_complete;
    KILN_RETURN_IF_ERROR(CommentDeps().IsComplete(db_.get(), &index_complete));
    if (!index_complete) {
      verdict_ = Verdict::kChanged;
      return Status::Ok();
    }
    comment_index_complete_ = true;
    // The comment path: the pages to decide on are those that read the
    // comments or counts of the posts in the change log since the last
    // build. comment_seq_ stays at what was read here, so a comment arriving
    // later in this build is seen again by the next one.
    KILN_RETURN_IF_ERROR(ReadChangedPosts(db_.get(), last_manifest_.comment_seq, &changed_posts_, &comment_seq_));
    return CommentDeps().ReadPages(db_.get(), changed_posts_, &comment_pages_);
  }

  // Takes the resident state (engine/resident_state.h) when it is current,
  // and reads the comment change log against it: the resident build's
  // QuickCheck. Whatever happens, the caller's copy is emptied here and
  // refilled only by a build that succeeds.
  Status TakeResident(bool files_unchanged) {
    if (!mem_) return Status::Ok();
    ResidentState mem = std::move(*mem_);
    mem_->Clear();
    return TakeState(std::move(mem), files_unchanged);
  }

  // TakeResident's work on a state already out of the caller's hands. When
  // the files may have changed (the server's watcher saw something), a
  // state that is otherwise current is held in disk_state_ instead: if
  // QuickCheck then finds no file changed, or only posts' and pages' files
  // edited in place, the build goes on from it (TakeHeld, TakeEdits)
  // rather than loading the whole site again (300 ms for a body edit at
  // 4,000 posts in `kiln serve --watch`).
  Status TakeState(ResidentState mem, bool files_unchanged) {
    if (mem.empty() || options_.full || !mem.comment_index_complete) return Status::Ok();
    uint64_t generation;
    KILN_RETURN_IF_ERROR(ReadStateGeneration(db_.get(), &generation));
    if (generation != mem.generation) return Status::Ok();  // another process built
    if (NowSeconds() >= mem.manifest.next_due) return Status::Ok();  // the plan changes
    if (!files_unchanged) {
      disk_state_ = std::move(mem);
      // The compiled templates read the texts of the state that holds them.
      if (disk_state_.templates) disk_state_.templates->UseTexts(&disk_state_.template_texts);
      for (auto& set : disk_state_.worker_templates) set->UseTexts(&disk_state_.template_texts);
      held_ = true;
      return Status::Ok();
    }
    KILN_RETURN_IF_ERROR(ReadChangedPosts(db_.get(), mem.manifest.comment_seq, &changed_posts_, &comment_seq_));
    KILN_RETURN_IF_ERROR(CommentDeps().ReadPages(db_.get(), changed_posts_, &comment_pages_));
    resident_ = report_->resident = true;
    verdict_ = changed_posts_.empty() ? Verdict::kUnchanged : Verdict::kCommentsOnly;
    generation_ = mem.generation;
    comment_index_complete_ = true;
    last_manifest_ = std::move(mem.manifest);
    after_.sources = std::move(mem.sources);
    after_.comments = std::move(mem.comments);
    comment_counts_ = std::move(mem.comment_counts);
    shown_comments_ = mem.shown_comments;
    content_ = std::move(mem.content);
    index_ = std::move(mem.index);
    plan_ = std::move(mem.plan);
    plan_by_url_ = std::move(mem.plan_by_url);
    now_ = mem.planned_at;
    template_texts_ = std::move(mem.template_texts);
    templates_ = std::move(mem.templates);
    if (templates_) templates_->UseTexts(&template_texts_);
    worker_templates_ = std::move(mem.worker_templates);
    for (auto& set : worker_templates_) set->UseTexts(&template_texts_);
    return Status::Ok();
  }

  // The comment path of `kiln build`: QuickCheck proved every input file
  // is as the manifest says, so the site snapshot made with that manifest
  // (engine/site_snapshot.h) is the content, plan and templates the source
  // cache would give. With the comment records of the saved state it makes
  // a resident state, and the build goes on as a resident one would. A
  // missing, stale or damaged snapshot leaves the normal comment path.
  Status TakeSnapshot() {
    bool loaded;
    KILN_RETURN_IF_ERROR(ReadSnapshot(&loaded));
    if (!loaded) return Status::Ok();
    changed_posts_.clear();
    comment_pages_.clear();
    KILN_RETURN_IF_ERROR(TakeResident(/*files_unchanged=*/true));
    report_->snapshot = resident_;
    report_->resident = false;
    // Not taken (its next scheduled post is due: NowSeconds reads the clock
    // once, so QuickCheck would have said so; a guard): the lists of the
    // comment path are gone, so the normal path, never a comment build of
    // no pages that saves the new comment seq.
    if (!resident_) verdict_ = Verdict::kChanged;
    return Status::Ok();
  }

  // QuickCheck found every input file as the held resident state's manifest
  // says: the build goes on from it as from any current resident state.
  Status TakeHeld() {
    changed_posts_.clear();
    comment_pages_.clear();
    held_ = false;
    ResidentState held = std::move(disk_state_);
    disk_state_.Clear();
    KILN_RETURN_IF_ERROR(TakeState(std::move(held), /*files_unchanged=*/true));
    // Not taken: the normal path, as in TakeSnapshot.
    if (!resident_) verdict_ = Verdict::kChanged;
    return Status::Ok();
  }

  // The held resident state is not used: freed before the normal path
  // loads the site again, so the two are never in memory at once.
  void DropHeld() {
    held_ = false;
    disk_state_.Clear();
  }

  // Fills disk_state_ from the site snapshot and the saved comment records,
  // as the last build left them; `*loaded` false (disk_state_ empty) when
  // there is no usable snapshot.
  Status ReadSnapshot(bool* loaded) {
    *loaded = false;
    uint64_t generation = 0;
    Status status = ReadStateGeneration(db_.get(), &generation);
    // The comment records are read while the snapshot may still be decoding
    // on the other core (PrefetchSnapshot); this core was idle in the join.
    // Without a prefetch they are read only once the snapshot is known good.
    std::map<std::string, CommentRecord> comments;
    bool corrupt = false;
    const bool read_early = status.ok() && generation != 0 && prefetch_.joinable();
    if (read_early) status = LoadCommentRecords(db_.get(), &comments, &corrupt);
    bool decoded = false;
    if (prefetch_.joinable()) {
      prefetch_.join();
      decoded = prefetched_ok_;
      if (decoded) disk_state_ = std::move(prefetched_);
    }
    KILN_RETURN_IF_ERROR(status);
    if (generation == 0) {
      disk_state_.Clear();
      return Status::Ok();
    }
    if (!decoded && !LoadSiteSnapshot(root_, SnapshotFile(), snapshot_key_, &disk_state_)) {
      return Status::Ok();
    }
    if (!read_early) KILN_RETURN_IF_ERROR(LoadCommentRecords(db_.get(), &comments, &corrupt));
    if (corrupt) {
      disk_state_.Clear();
      return Status::Ok();
    }
    disk_state_.comments = std::move(comments);
    // In key order into a map the snapshot's load left empty: each insert
    // at the end, not a walk down the tree. After the snapshot is joined, so
    // on the build's critical path: a comment build at 4,000 posts, 59.5 ->
    // 58.3 M instructions (callgrind).
    auto& counts = disk_state_.comment_counts;
    for (const auto& [post, rec] : disk_state_.comments) {
      if (rec.count) counts.emplace_hint(counts.end(), post, rec.count);
      disk_state_.shown_comments += rec.count;
    }
    disk_state_.generation = generation;
    disk_state_.manifest = last_manifest_;
    disk_state_.comment_index_complete = comment_index_complete_;
    mem_ = &disk_state_;
    *loaded = true;
    return Status::Ok();
  }

  // The edit path of `kiln build` (issue 6: "loads, decides, renders and
  // saves only the pages that depend on what changed"). When the inputs
  // differ from the last build's only in the stats of some posts' and
  // pages' files, edited in place, and those edits move no page of the
  // plan, no post in the listings and no tag, the build goes on from the
  // site snapshot as the comment path does: the edited files are read
  // again, and the pages to decide on are those the content index
  // (store/content_deps.h) lists for the keys the edits can change. Any
  // other change, or a doubt, leaves the normal incremental path, which
  // decides on every page.
  Status TakeEdits() {
    bool complete = false;
    KILN_RETURN_IF_ERROR(CommentDeps().IsComplete(db_.get(), &complete));
    if (complete) KILN_RETURN_IF_ERROR(ContentIndexInStep(db_.get(), &complete));
    if (!complete) return Status::Ok();
    comment_index_complete_ = true;
    // `kiln build` reads the site snapshot; `kiln serve` holds its state.
    const bool from_memory = held_;
    bool loaded = held_;
    if (!from_memory) KILN_RETURN_IF_ERROR(ReadSnapshot(&loaded));
    if (!loaded) return Status::Ok();
    std::vector<std::string> keys;
    if (!ApplyEdits(&keys)) {
      disk_state_.Clear();
      DropEdits();
      return Status::Ok();
    }
    std::vector<std::string> pages;
    KILN_RETURN_IF_ERROR(ContentDeps().ReadPages(db_.get(), keys, &pages));
    held_ = false;
    ResidentState state = std::move(disk_state_);
    disk_state_.Clear();
    KILN_RETURN_IF_ERROR(TakeState(std::move(state), /*files_unchanged=*/true));
    if (!resident_) {  // TakeState found it stale: the normal path
      DropEdits();
      return Status::Ok();
    }
    // The edited files' entries as read now, for the next build in this
    // process (Finish saves them to the store's source cache).
    for (const auto& [path, entry] : edited_after_) after_.sources[path] = entry;
    // The comment log may have moved too: its pages and the edits' pages.
    std::vector<std::string> both;
    std::set_union(comment_pages_.begin(), comment_pages_.end(), pages.begin(), pages.end(),
                   std::back_inserter(both));
    comment_pages_ = std::move(both);
    // Even with no page to render: the new manifest and sources are saved.
    verdict_ = Verdict::kCommentsOnly;
    edits_ = true;
    report_->edited_posts = std::move(edited_posts_);
    report_->snapshot = !from_memory;
    report_->resident = from_memory;
    return Status::Ok();
  }

  // Forgets what the edit path read: the build goes on as if it had never
  // been tried.
  void DropEdits() {
    edited_.clear();
    edited_before_.clear();
    edited_after_.clear();
    edited_posts_.clear();
  }

  // The edits' half of TakeEdits, on disk_state_: which files changed
  // (proved by the manifest's digest), the new content, index and plan from
  // them, and the keys whose fingerprints they may have changed. False,
  // with disk_state_ to be dropped, when the edit path does not apply.
  bool ApplyEdits(std::vector<std::string>* keys) {
    // The stats the last build read its inputs with, from its source cache:
    // as saved, or as the held resident state keeps it (looked up there,
    // not copied).
    std::map<std::string, SourceStamp> loaded;
    if (!held_ && !LoadSourceStampsOnly(db_.get(), &loaded).ok()) return false;
    // The stored stamp of `path`, or null; `*key` is the stored path, which
    // outlives this function.
    SourceStamp held_stamp;
    auto stored_stamp = [&](const std::string& path,
                            const std::string** key) -> const SourceStamp* {
      if (!held_) {
        auto it = loaded.find(path);
        if (it == loaded.end()) return nullptr;
        *key = &it->first;
        return &it->second;
      }
      auto it = disk_state_.sources.find(path);
      if (it == disk_state_.sources.end()) return nullptr;
      *key = &it->first;
      held_stamp = SourceStamp{it->second.stat, it->second.observed_ns, it->second.content_hash};
      return &held_stamp;
    };
    std::map<std::string_view, FileStat> replaced;
    size_t begin = 0;
    std::string path_text;
    for (const FileStat& stat : walked_files_.stats) {
      const size_t end = walked_files_.paths.find('\0', begin);
      const std::string_view path(walked_files_.paths.data() + begin, end - begin);
      begin = end + 1;
      path_text.assign(path);
      const std::string* key = nullptr;
      const SourceStamp* stamp = stored_stamp(path_text, &key);
      if (!stamp) {
        // Not read by the last build (a hidden file, _index.md): the digest
        // vouches for its stat. kiln.toml is read by every build; a state
        // saved without its stamp (an older kiln) cannot tell a kiln.toml
        // rewritten in the tick it was read from an unchanged one.
        if (path == "kiln.toml" && !last_manifest_.inputs_complete) return false;
        continue;
      }
      const SourceStamp& cached = *stamp;
      // A racily clean file (util/fs.h) is read again, as the source cache would.
      if (cached.stat == stat && cached.stat.TrustedAfter(cached.observed_ns)) continue;
      if (cached.stat != stat) replaced.emplace(*key, cached.stat);
      edited_.emplace_back(path);
      edited_before_.emplace(*key, cached);
    }
    if (edited_.empty() ||
        walked_files_.stats.size() != static_cast<size_t>(last_manifest_.input_count) ||
        walked_files_.DigestWith(replaced) != last_manifest_.inputs_digest) {
      return false;
    }
    // A template, static or bundle file listed only because it is racily
    // clean (same stat) is hashed again, as RefreshFiles would: unchanged,
    // it is no edit, and its stamp is saved as now trusted. Any other
    // change to such a file is one the edit path does not take.
    for (auto it = edited_.begin(); it != edited_.end();) {
      if (StartsWith(*it, "content/") && (EndsWith(*it, ".md") || EndsWith(*it, ".markdown"))) {
        ++it;
        continue;
      }
      CachedSource entry;
      bool fresh;
      std::string bytes;
      const SourceStamp& stored = edited_before_.at(*it);
      if (replaced.count(*it) ||
          !RefreshSource(root_, *it, {}, true, &entry, &fresh, &bytes).ok() ||
          entry.stat != stored.stat || entry.content_hash != stored.content_hash) {
        return false;
      }
      edited_after_.emplace(*it, std::move(entry));
      it = edited_.erase(it);
    }
    SiteContent& content = *disk_state_.content;
    EditedFiles edited;
    if (!ReadEditedFiles(root_, edited_, content, &edited).ok()) return false;
    edited_after_.merge(edited.entries);
    // Which posts' and pages' metadata the edits replace (in content's order).
    std::vector<std::pair<const PostMeta*, const PostMeta*>> posts;  // old, new
    std::vector<std::pair<const PageMeta*, const PageMeta*>> pages;
    for (const PostMeta& post : content.posts) {
      auto it = edited.posts.find(post.source);
      if (it != edited.posts.end()) posts.emplace_back(&post, &it->second);
    }
    for (const PageMeta& page : content.pages) {
      auto it = edited.pages.find(page.source);
      if (it != edited.pages.end()) pages.emplace_back(&page, &it->second);
    }
    for (const auto& [a, b] : posts) {
      // Tags name listings and feeds; a post's draft state, its place.
      if (a->slug != b->slug || a->tags != b->tags || a->draft != b->draft) return false;
    }
    for (const auto& [a, b] : pages) {
      // Every page lists the standalone pages by slug and title.
      if (a->slug != b->slug || a->title != b->title) return false;
    }
    // With the same dates, URLs and aliases too, the site index and plan
    // stay as they are (the index points at the posts, edited in place):
    // at 4,000 posts, making and comparing them was 17 ms of about 100.
    const bool same_places = std::all_of(posts.begin(), posts.end(), [](const auto& p) {
      return p.first->date == p.second->date && p.first->url == p.second->url &&
             p.first->aliases == p.second->aliases;
    });
    // The sitemap lists each page's URL and each post's date, or its
    // `updated` when it has one (engine/fingerprints.cc): with the places
    // and those dates unchanged, its fingerprint is too, and working it out
    // looked up every post (2-3 ms of a 50 ms body edit in `kiln serve` at
    // 4,000 posts, perf). Compared here: the edits below replace the old
    // metadata in place.
    const bool same_sitemap =
        same_places && std::all_of(posts.begin(), posts.end(), [](const auto& p) {
          return p.first->updated == p.second->updated;
        });
    std::vector<std::string> slugs;  // of the posts edited
    for (const auto& [a, b] : posts) slugs.push_back(b->slug);
    edited_posts_ = slugs;
    std::sort(edited_posts_.begin(), edited_posts_.end());
    if (same_places) {
      // Unchecked: slugs, URLs and aliases are those the last build checked.
      if (!ApplyEditedFiles(edited, /*check=*/false, &content).ok()) return false;
    } else {
      // A date, URL or alias moved: the index and plan made again must
      // equal the last build's.
      auto copy = std::make_unique<SiteContent>(content);
      if (!ApplyEditedFiles(edited, /*check=*/true, copy.get()).ok()) return false;
      const int64_t now = NowSeconds();
      auto index = std::make_unique<SiteIndex>(*copy, now);
      const SiteIndex& old_index = *disk_state_.index;
      if (index->posts().size() != old_index.posts().size()) return false;
      for (size_t i = 0; i < index->posts().size(); ++i) {
        if (index->posts()[i]->slug != old_index.posts()[i]->slug) return false;
      }
      const std::vector<PageSpec> plan = PlanPages(*index);
      if (plan.size() != disk_state_.plan.size()) return false;
      for (size_t i = 0; i < plan.size(); ++i) {
        const PageSpec& a = plan[i];
        const PageSpec& b = disk_state_.plan[i];
        if (a.url != b.url || a.output != b.output || a.kind != b.kind || a.key != b.key ||
            a.number != b.number) {
          return false;
        }
      }
      disk_state_.content = std::move(copy);
      disk_state_.index = std::move(index);
      disk_state_.planned_at = now;
    }
    if (!same_sitemap) keys->push_back(dep::Sitemap());
    const SiteIndex& index = *disk_state_.index;
    for (const std::string& slug : slugs) {
      keys->push_back(dep::Post(slug));
      keys->push_back(dep::Body(slug));
      // The previous and next links of its neighbours show its title.
      const int i = index.PostIndex(slug);
      const auto& listed = index.posts();
      if (i > 0) keys->push_back(dep::Neighbours(listed[i - 1]->slug));
      if (i >= 0 && i + 1 < static_cast<int>(listed.size())) {
        keys->push_back(dep::Neighbours(listed[i + 1]->slug));
      }
    }
    for (const auto& [path, page] : edited.pages) keys->push_back(dep::Page(page.slug));
    return true;
  }

  std::filesystem::path SnapshotFile() const { return root_ / ".kiln" / "site-snapshot"; }

  // When the comment log moved since the last build, the build is most
  // likely a comment build, which reads the site snapshot: it is read and
  // decoded on a thread of its own while the others stat the inputs and
  // outputs (QuickCheck), instead of after. Nothing else reads or writes what the thread fills
  // until TakeSnapshot joins it; a build that turns out not to be a comment
  // build leaves it unused (joined by CloseStore or the destructor).
  void PrefetchSnapshot() {
    prefetch_ = std::jthread([this, key = snapshot_key_, file = SnapshotFile()] {
      prefetched_ok_ = LoadSiteSnapshot(root_, file, key, &prefetched_);
    });
  }

  // After a build of `kiln build` has saved: the snapshot for the next one,
  // unless the build took it and the inputs it describes did not move.
  void SaveSnapshot() {
    if (!use_snapshot_ || !mem_ || mem_->empty()) return;
    // A comment build saves the last build's manifest again with only its
    // comment seq moved, which the key leaves out: the snapshot it took is
    // still the one (a hash of the manifest is 4 M instructions at 4,000 posts).
    if (report_->snapshot && comment_path() && !edits_) return;
    const uint64_t key = SiteSnapshotKey(mem_->manifest);
    // After edits, even under the same key: a file read again because its
    // stat could not be trusted may have changed with the same stat.
    if (report_->snapshot && key == snapshot_key_ && !edits_) return;
    const Status saved = SaveSiteSnapshot(SnapshotFile(), key, *mem_);
    if (!saved.ok()) report_->notes.push_back("site snapshot not saved: " + saved.ToString());
  }

  // Hands what this build knows to the resident state, for the next build
  // in this process. `generation` is that of the state now saved.
  void KeepResident(uint64_t generation, Manifest manifest) {
    if (!mem_ || !index_) return;
    if (options_.resident) MakePlanLookup();  // for the next build in this process
    mem_->generation = generation;
    read_tx_.reset();
    mem_->db = std::move(db_);
    mem_->db_device = db_device_;
    mem_->db_inode = db_inode_;
    mem_->manifest = std::move(manifest);
    mem_->comment_index_complete = comment_index_complete_;
    mem_->sources = std::move(after_.sources);
    mem_->comments = std::move(after_.comments);
    mem_->comment_counts = std::move(comment_counts_);
    mem_->shown_comments = shown_comments_;
    mem_->content = std::move(content_);
    mem_->index = std::move(index_);
    mem_->plan = std::move(plan_);
    mem_->plan_by_url = std::move(plan_by_url_);
    mem_->planned_at = now_;
    mem_->template_texts = std::move(template_texts_);
    mem_->templates = std::move(templates_);
    if (mem_->templates) mem_->templates->UseTexts(&mem_->template_texts);
    mem_->worker_templates = std::move(worker_templates_);
    for (auto& set : mem_->worker_templates) set->UseTexts(&mem_->template_texts);
  }

  bool comment_path() const { return verdict_ == Verdict::kCommentsOnly; }

  // The comment path's outputs: the plan's pages that comment_pages_
  // (sorted) names, in plan order, found in one pass.
  void AddCommentPagesOfPlan() {
    for (const PageSpec& spec : plan_) {
      if (std::binary_search(comment_pages_.begin(), comment_pages_.end(), spec.url)) {
        outputs_.emplace_back(spec);
      }
    }
  }

  // plan_by_url_, for a resident engine's comment builds: made once per
  // plan, then kept with it.
  void MakePlanLookup() {
    if (!plan_by_url_.empty()) return;
    plan_by_url_.reserve(plan_.size());
    for (size_t i = 0; i < plan_.size(); ++i) plan_by_url_.emplace(plan_[i].url, i);
  }

  // Nothing changed: the report and the figures come from the manifest.
  Status FinishUnchanged() {
    report_->path = "no-op";
    // The resident state's posts are the last build's: nothing to hand over.
    report_->published_posts_unchanged = resident_;
    report_->pages = static_cast<size_t>(last_manifest_.pages);
    report_->unchanged = report_->pages;
    // Moved, not copied (4,000 slugs at 4,000 posts): a resident build's
    // report says they are unchanged and keeps the manifest whole.
    if (!resident_) report_->published_posts = std::move(last_manifest_.published_posts);
    report_->next_due = last_manifest_.next_due;
    report_->comment_seq = last_manifest_.comment_seq;
    report_->duration_ms = ElapsedMs();
    // Nothing is written to the store, not even this build's line in `kiln
    // stats`: a write here is a WAL commit and a checkpoint at close, two
    // disk syncs that took 35-40 % of a no-op build at 4,000 posts on a
    // busy disk (docs/benchmarks.md). Nothing reads a no-op's line: the
    // server's poller looks only for builds that wrote files.
    if (resident_) KeepResident(generation_, std::move(last_manifest_));
    return Status::Ok();
  }

  // The clock is read once per build: QuickCheck's verdict, the resident
  // state's check of the next scheduled post and the plan all see the same
  // time. Read at each, a post coming due between two of them made a
  // build that had found only a comment take a state whose plan was
  // stale, or plan the post without rendering its pages (a window of
  // microseconds; the next build repaired it). A post that comes due while
  // a build runs is published by the next one, as the server schedules.
  int64_t NowSeconds() const {
    if (!clock_read_) {
      const RealClock real_clock;
      now_seconds_ =
          (options_.clock ? *options_.clock : static_cast<const Clock&>(real_clock)).NowSeconds();
      clock_read_ = true;
    }
    return now_seconds_;
  }

  double ElapsedMs() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  }

  Status Load() {
    if (resident_) {
      // Sources, comment records, content, index and plan are in memory:
      // only the records of the pages to decide on are read.
      bool corrupt;
      KILN_RETURN_IF_ERROR(LoadPageRecords(db_.get(), comment_pages_, &before_.pages, &corrupt));
      if (!corrupt) return Status::Ok();
      // Take the normal path, which finds the damage and renders everything.
      ForgetResident();
      KILN_RETURN_IF_ERROR(QuickCheck());
    }
    // `kiln build --full` renders every page from the files whatever the
    // stored state says: it needs only what saving the rows that changed
    // takes (the previous keys too when the edge asks for them).
    const bool for_save = options_.full && !options_.report_keys && options_.inspect_url.empty();
    KILN_RETURN_IF_ERROR(LoadBuildState(db_.get(), &before_,
                                        comment_path() ? &comment_pages_ : nullptr,
                                        for_save ? LoadDetail::kForSave : LoadDetail::kWhole));
    if (comment_path() && (!before_.invalid_reason.empty() || before_.interrupted)) {
      // A damaged record among those of the comment path: the whole site is
      // rendered (and swept) again, so every page must be planned.
      verdict_ = Verdict::kChanged;
      changed_posts_.clear();
      comment_pages_.clear();
      KILN_RETURN_IF_ERROR(LoadBuildState(db_.get(), &before_));
    }
    if (!before_.invalid_reason.empty()) {
      // Is this the kiln.db the site was built from? (engine/comment_guard.h)
      KILN_RETURN_IF_ERROR(CheckStoreWithoutState(root_, db_.get(), options_.allow_empty_comments));
    }
    // A build that was killed (or failed) while writing may have put pages
    // in site/ that the saved state does not describe: if their inputs were
    // then reverted, their fingerprints would match the old state and they
    // would never be repaired. So after an interruption every page is
    // rendered again; SiteWriter skips the files whose bytes are already
    // right, so the cost is CPU only, once.
    force_ = options_.full || !before_.invalid_reason.empty() || before_.interrupted;
    if (options_.full) {
      force_reason_ = "full build requested";
    } else if (!before_.invalid_reason.empty()) {
      force_reason_ = before_.invalid_reason;
      report_->notes.push_back(before_.invalid_reason + ": full build");
    } else if (before_.interrupted) {
      force_reason_ = "the previous build was interrupted";
    }
    if (before_.interrupted) {
      int leftovers = 0;
      KILN_RETURN_IF_ERROR(writer_.RemoveTempFiles(&leftovers));
      report_->notes.push_back("the previous build was interrupted (" + std::to_string(leftovers) +
                               " temporary files removed): rendering every page to repair site/");
    } else if (!resident_) {
      // Old files a process killed after its save had not deleted yet.
      int leftovers = 0;
      KILN_RETURN_IF_ERROR(writer_.RemoveTempFiles(&leftovers));
    }
    // A forced build reads every source again (RefreshSource ignores the
    // cache), and with --full the stored sources hold no fields to reuse.
    if (!force_) after_.sources = before_.sources;
    if (comment_path()) {
      // QuickCheck found every input's stat as the manifest's digest of
      // them says: the source cache is current, and nothing needs a second
      // stat.
      KILN_RETURN_IF_ERROR(ContentFromCache(root_, after_.sources, content_.get()));
      return Status::Ok();
    }
    KILN_RETURN_IF_ERROR(LoadContent(root_, force_, &after_.sources, content_.get()));
    return RefreshFiles();
  }

  // A build past a no-op and the snapshot's comment path reads much of
  // kiln.db (the whole state, or the source cache: hundreds of MB at
  // 100,000 posts), and every mapped page it read would count in its peak
  // memory: at 4,000 posts a body edit's peak RSS was 59 MB unmapped, 76
  // MB mapped.
  void StopMappingFile() {
    if (!db_mapped_) return;
    MapFileForReading(db_.get(), false);
    db_mapped_ = false;
  }

  // Back to the state of a build that took nothing from memory.
  void ForgetResident() {
    assert(outputs_.empty());  // they refer to plan_, which is replaced below
    StopMappingFile();         // the normal path loads the whole state next
    resident_ = report_->resident = report_->snapshot = false;
    verdict_ = Verdict::kChanged;
    edits_ = false;
    DropEdits();
    report_->edited_posts.clear();
    changed_posts_.clear();
    comment_pages_.clear();
    before_ = BuildState();
    after_ = BuildState();
    comment_counts_.clear();
    index_.reset();
    content_ = std::make_unique<SiteContent>();
    plan_.clear();
    plan_by_url_.clear();
    template_texts_.clear();
    templates_.reset();
    worker_templates_.clear();
  }

  // One build of a site at a time, across processes (a `kiln build` while
  // `kiln serve` rebuilds): two builds from the same old state would save
  // conflicting deltas. The lock is released when the process or the Build
  // ends (the descriptor closes), so a killed build never leaves it held.
  Status LockSite() {
    std::error_code ec;
    std::filesystem::create_directories(root_ / ".kiln", ec);
    const std::string path = (root_ / ".kiln" / "build.lock").string();
    lock_.fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_.fd < 0) return Status::Io(std::string("cannot open: ") + std::strerror(errno), path);
    if (::flock(lock_.fd, LOCK_EX | LOCK_NB) != 0) {
      std::fprintf(stderr, "kiln: waiting for another build of this site to finish\n");
      if (::flock(lock_.fd, LOCK_EX) != 0) return Status::Io(std::strerror(errno), path);
    }
    return Status::Ok();
  }

  // Templates and static files: stat each, hash the new or changed ones.
  // kiln.toml's stamp too, read by LoadContent: the edit path (ApplyEdits)
  // hashes it again when its stat cannot be trusted yet (util/fs.h).
  Status RefreshFiles() {
    {
      CachedSource entry;
      bool fresh;
      std::string bytes;
      KILN_RETURN_IF_ERROR(
          RefreshSource(root_, "kiln.toml", after_.sources, force_, &entry, &fresh, &bytes));
      after_.sources["kiln.toml"] = std::move(entry);
    }
    std::set<std::string> present;
    for (const char* dir : {"templates", "static"}) {
      std::vector<std::string> files;
      KILN_RETURN_IF_ERROR(ListFilesRecursive(root_ / dir, &files));
      const bool templates = std::string_view(dir) == "templates";
      for (const auto& f : files) {
        // Templates are the .mustache files directly in templates/.
        if (templates && (!EndsWith(f, ".mustache") || f.find('/') != std::string::npos)) continue;
        std::string rel = std::string(dir) + "/" + f;
        present.insert(rel);
        CachedSource entry;
        bool fresh;
        std::string bytes;
        KILN_RETURN_IF_ERROR(RefreshSource(root_, rel, after_.sources, force_, &entry, &fresh, &bytes));
        after_.sources[rel] = std::move(entry);
        if (fresh && StartsWith(rel, "static/")) static_bytes_[rel] = std::move(bytes);
      }
    }
    for (auto it = after_.sources.begin(); it != after_.sources.end();) {
      bool file_entry = StartsWith(it->first, "templates/") || StartsWith(it->first, "static/");
      it = file_entry && !present.count(it->first) ? after_.sources.erase(it) : std::next(it);
    }
    return Status::Ok();
  }

  // The outputs of the site: its pages (SPEC.md's URL table) and its
  // static files, which may not take a page's path.
  Status Plan() {
    if (resident_) {
      // The plan is the last build's; the posts and their links too. The
      // server's redirect after a comment needs the commented posts' links.
      report_->published_posts_unchanged = true;
      if (options_.report_post_links) {
        for (const std::string& slug : changed_posts_) {
          if (const PostMeta* post = index_->FindPost(slug)) {
            report_->post_links[slug] = content_->config.base_path + post->url.substr(1);
          }
        }
      }
      if (!options_.resident) {
        // `kiln build` from the site snapshot: one pass over the plan for
        // the few pages, instead of making a lookup map of every url (5,300
        // at 4,000 posts) to use it once. A comment build: 60.2 -> 59.5 M
        // instructions (callgrind), and no map of the whole plan in memory.
        AddCommentPagesOfPlan();
        return Status::Ok();
      }
      MakePlanLookup();
      for (const std::string& url : comment_pages_) {
        auto it = plan_by_url_.find(url);
        if (it != plan_by_url_.end()) outputs_.emplace_back(plan_[it->second]);
      }
      return Status::Ok();
    }
    now_ = NowSeconds();
    index_ = std::make_unique<SiteIndex>(*content_, now_);
    plan_by_url_.clear();  // its keys view the plan replaced here
    plan_ = PlanPages(*index_);
    for (const PostMeta* post : index_->posts()) {
      report_->published_posts.push_back(post->slug);
      if (options_.report_post_links) {
        report_->post_links[post->slug] = content_->config.base_path + post->url.substr(1);
      }
    }
    std::sort(report_->published_posts.begin(), report_->published_posts.end());
    if (comment_path()) {
      // Files are as the last build saw them, so the plan and the static
      // files are too: only the pages showing the changed comments count.
      AddCommentPagesOfPlan();
      return Status::Ok();
    }
    std::set<std::string> page_outputs;
    for (const PageSpec& spec : plan_) {
      outputs_.emplace_back(spec);
      page_outputs.insert(spec.output);
    }
    for (const auto& [rel, entry] : after_.sources) {
      if (!StartsWith(rel, "static/")) continue;
      std::string out = rel.substr(7);
      if (page_outputs.count(out)) {
        return Status::Invalid("conflicts with the page kiln generates at /" + out, rel);
      }
      if (out == kHeadersFile && content_->config.edge.headers_file) {
        return Status::Invalid("conflicts with the _headers file kiln writes ([edge] headers_file)", rel);
      }
      outputs_.emplace_back(static_specs_.emplace_back(PageSpec{"/" + out, out, "static", rel, 0}));
    }
    return Status::Ok();
  }

  // Opens the read transaction that lasts to the end of rendering, so that
  // the comment records and the comments the pages show are one snapshot.
  Status RefreshComments() {
    read_tx_.emplace(*db_, KeptTransaction::Kind::kDeferred);
    // Read first, so the snapshot of the transaction starts here: every
    // change up to this seq is in the versions read next. (The comment path
    // keeps the seq it read with the list of changed posts.)
    CommentStore comments(db_.get());
    if (comment_path()) {
      // Only the posts in the change log can have moved. before_.comments
      // becomes their records as stored, for Finish's partial save.
      if (!resident_) after_.comments = before_.comments;
      KILN_RETURN_IF_ERROR(RefreshCommentRecordsOf(&comments, changed_posts_, &after_.comments,
                                                   &before_.comments, &published_comments_));
      if (!resident_) {
        CountAllComments();
        return Status::Ok();
      }
      for (const std::string& post : changed_posts_) {
        auto old = before_.comments.find(post);
        if (old != before_.comments.end()) shown_comments_ -= old->second.count;
        auto now = after_.comments.find(post);
        const int64_t count = now == after_.comments.end() ? 0 : now->second.count;
        shown_comments_ += count;
        if (count) comment_counts_[post] = count; else comment_counts_.erase(post);
      }
      return Status::Ok();
    }
    KILN_RETURN_IF_ERROR(ReadCommentSeq(db_.get(), &comment_seq_));
    // A build that re-reads many posts' comments reads them all in one
    // scan and renders from it (comment_records.h).
    KILN_RETURN_IF_ERROR(RefreshCommentRecords(
        &comments, force_ ? std::map<std::string, CommentRecord>() : before_.comments, force_,
        &after_.comments, &published_comments_, &published_comments_complete_));
    CountAllComments();
    return Status::Ok();
  }

  // The counts listings show and their sum (engine/comment_guard.h), from
  // every comment record: what a build that took no resident state needs.
  void CountAllComments() {
    for (const auto& [post, rec] : after_.comments) {
      comment_counts_[post] = rec.count;
      shown_comments_ += rec.count;
    }
  }

  void DecideAll() {
    fingerprints_ = std::make_unique<FingerprintCalculator>(*index_, plan_, after_.comments, after_.sources);
    for (Output& out : outputs_) DecideDirty(&out);
  }

  // The reason is recorded here, where the page is marked dirty (STYLE.md,
  // "Explain decisions where they are made").
  void DecideDirty(Output* out) {
    auto old = before_.pages.find(out->spec.url);
    if (force_) {
      out->dirty = true;
      out->reason = force_reason_;
      return;
    }
    if (old == before_.pages.end()) {
      out->dirty = true;
      out->reason = "new page";
      return;
    }
    if (old->second.output != out->spec.output || old->second.kind != out->spec.kind) {
      out->dirty = true;
      out->reason = "output path changed";
      return;
    }
    std::vector<std::string> changed;
    for (const auto& [key, fp] : old->second.deps) {
      std::optional<Fingerprint> now = fingerprints_->Of(key);
      if (!now || *now != fp) changed.push_back(FingerprintCalculator::Describe(key));
    }
    if (!changed.empty()) {
      out->dirty = true;
      out->reason = "changed: " + changed.front();
      for (size_t i = 1; i < changed.size(); ++i) out->reason += "; " + changed[i];
      return;
    }
    // QuickCheck found every output of the last build in site/, this
    // page's among them (its record is the last build's, with the same
    // output path): a second stat would only catch a file deleted since
    // that check (during the loading, 0.2 s at 4,000 posts), which the
    // next build's check finds as it would one deleted after this build.
    // A body edit at 4,000 posts made 5,300 such stats.
    FileStat st;
    if (!outputs_checked_ &&
        (!StatFile(root_ / "site" / out->spec.output, &st).ok() || !st.exists())) {
      out->dirty = true;
      out->reason = "output file missing";
      return;
    }
    out->record = old->second;
  }

  void Inspect(const std::string& url) {
    auto it = before_.pages.find(url);
    if (it == before_.pages.end()) return;
    report_->inspected_output = it->second.output;
    for (const auto& [key, fp] : it->second.deps) {
      std::optional<Fingerprint> now = fingerprints_->Of(key);
      report_->inspected.push_back({key, FingerprintCalculator::Describe(key), FingerprintToHex(fp),
                                    now ? FingerprintToHex(*now) : "?"});
    }
  }

  // The report's page figures: pages, rendered (with --explain, why), unchanged.
  // Static files are outputs but not pages.
  void ReportPages() {
    for (const Output& out : outputs_) {
      if (out.spec.kind == "static") continue;
      ++report_->pages;
      if (!out.dirty) {
        ++report_->unchanged;
        continue;
      }
      report_->rendered.push_back(out.spec.url);
      if (options_.explain) report_->explanations.push_back(out.spec.url + ": " + out.reason);
    }
    if (comment_path()) {  // outputs_ holds only the pages showing comments
      report_->pages = static_cast<size_t>(last_manifest_.pages);
      report_->unchanged = report_->pages - report_->rendered.size();
    }
  }

  // What a build would render, and why; nothing rendered, written or saved.
  Status FinishDryRun() {
    ReportPages();
    read_tx_->commit();
    return Status::Ok();
  }

  // Renders every dirty output into memory, on as many threads as there
  // are cores. Each thread has its own TemplateSet (kainjow templates are
  // not thread-safe); the database connection is shared, which SQLite's
  // serialized mode allows, inside the one read transaction. Fingerprints
  // are looked up afterwards on this thread: the calculator memoizes.
  Status RenderDirty() {
    std::vector<Output*> dirty;
    for (Output& out : outputs_) {
      if (out.dirty) dirty.push_back(&out);
    }
    // A resident engine keeps the texts it read (files unchanged since).
    if (!dirty.empty() && template_texts_.empty()) KILN_RETURN_IF_ERROR(ReadTemplates());
    std::vector<DepRecorder> deps(dirty.size());
    std::vector<Status> errors(dirty.size());
    // Many pages are written by the thread that rendered them, as soon as
    // each is rendered: memory stays bounded by the pages in flight (at
    // 100,000 posts the whole site held in memory was 1.9 GB), and the
    // writes overlap the rendering. A few pages (a comment's) are written
    // after all rendered, so a page that fails leaves site/ untouched.
    streamed_ = !dirty.empty() && dirty.size() >= StreamedWriteAt();
    if (streamed_) KILN_RETURN_IF_ERROR(StartWriting());
    std::vector<char> written(dirty.size(), 0);  // [i]: dirty page i changed on disk
    // Pages, as the summary line counts them: static files are copied, not
    // rendered. When streamed, a page is counted once written too.
    Report(BuildProgress::Step::kRendering,
           static_cast<size_t>(std::count_if(dirty.begin(), dirty.end(),
                                             [](const Output* o) { return o->spec.kind != "static"; })));
    std::atomic<size_t> next{0};
    auto work = [&](TemplateSet* templates) {
      CommentStore comments(db_.get());
      RenderInputs in{index_.get(), &plan_, &comment_counts_, &comments, templates, root_,
                      options_.comment_html, &published_comments_, published_comments_complete_,
                      // A build of many pages would fill it with bodies no
                      // comment build will ask for again (and churn its bound).
                      streamed_ ? nullptr : options_.body_html};
      for (size_t i; (i = next.fetch_add(1)) < dirty.size();) {
        // An exception must not escape a thread (std::terminate would kill
        // `kiln serve`); it becomes this page's error.
        try {
          errors[i] = RenderOne(dirty[i], in, &deps[i]);
          if (streamed_ && errors[i].ok()) {
            errors[i] = WriteOne(dirty[i], &written[i]);
            ReleaseShownComments(dirty[i]->spec);
          }
        } catch (const std::exception& e) {
          errors[i] = Status::Io(std::string("rendering failed: ") + e.what(), dirty[i]->spec.url);
        }
        if (options_.progress && dirty[i]->spec.kind != "static") options_.progress->CountOne();
      }
    };
    // Dirty pages a rendering thread is started for. A resident engine
    // (`kiln serve`) keeps each thread's compiled templates, so a comment's
    // four or five pages (its post, its listing and tag pages) render on
    // both cores: in the server, comment p50 2.91 -> 2.74 ms, and p99 of 60
    // comments to one post 10-30 -> 6-7 ms (docs/benchmarks.md, 4,000
    // posts). A one-off `kiln build` would compile them again on
    // the second thread, which costs more than it saves below 16 pages (a
    // comment build, 29.9 -> 30.7 ms).
    const size_t pages_per_thread = options_.resident ? 2 : 16;
    const size_t threads =
        std::min<size_t>(CoreCount(), (dirty.size() + pages_per_thread - 1) / pages_per_thread);
    // One template set per thread, compiled as it renders; a resident
    // engine keeps them all for its next build.
    while (worker_templates_.size() + 1 < threads) {
      worker_templates_.push_back(
          std::make_unique<TemplateSet>(root_ / "templates", &template_texts_));
    }
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) {
      pool.emplace_back([&, set = worker_templates_[t - 1].get()] { work(set); });
    }
    // This thread's set is kept with the resident state, compiled.
    if (!templates_ && !dirty.empty()) {
      templates_ = std::make_unique<TemplateSet>(root_ / "templates", &template_texts_);
    }
    work(templates_.get());
    for (auto& thread : pool) thread.join();
    // What was written, in URL order (before any error: the server forgets
    // its cached copies of what a failed build wrote too).
    for (size_t i = 0; i < dirty.size(); ++i) {
      if (written[i]) report_->written.push_back(dirty[i]->spec.output);
    }
    // The first error in URL order, so the message does not depend on timing.
    for (const Status& s : errors) KILN_RETURN_IF_ERROR(s);
    for (size_t i = 0; i < dirty.size(); ++i) {
      dirty[i]->record = PageRecord{dirty[i]->spec.output, dirty[i]->spec.kind, {}};
      dirty[i]->record.deps.reserve(deps[i].keys().size());
      for (const auto& key : deps[i].keys()) {
        dirty[i]->record.deps.emplace_back(key, fingerprints_->Of(key).value_or(kAbsent));
      }
      deps[i] = DepRecorder();  // the keys live on in the record
    }
    // The comments were for rendering; the records hold what is kept.
    std::map<std::string, std::vector<Comment>>().swap(published_comments_);
    read_tx_->commit();
    return Status::Ok();
  }

  // Reads every template once for all rendering threads, and makes each
  // template's fingerprint the hash of the text the pages are rendered with
  // (a template saved since RefreshFiles hashed it is then seen as changed
  // by the next build, never half-applied).
  Status ReadTemplates() {
    for (auto& [rel, entry] : after_.sources) {
      if (!StartsWith(rel, "templates/")) continue;
      std::string text;
      KILN_RETURN_IF_ERROR(ReadFile(root_ / rel, &text));
      entry.content_hash = HashBytes(text);
      std::string name = rel.substr(10, rel.size() - 10 - 9);  // templates/NAME.mustache
      template_texts_[name] = std::move(text);
    }
    fingerprints_ = std::make_unique<FingerprintCalculator>(*index_, plan_, after_.comments, after_.sources);
    return Status::Ok();
  }

  // A post's comments are read by its own page alone: once it is rendered
  // they can go, instead of every post's comments staying until the last
  // page (the largest part of a full build's peak at 4,000 posts, massif).
  // Threads empty different posts' lists and never change the map itself.
  void ReleaseShownComments(const PageSpec& spec) {
    if (spec.kind != "post") return;
    auto it = published_comments_.find(spec.key);
    if (it != published_comments_.end()) std::vector<Comment>().swap(it->second);
  }

  Status RenderOne(Output* out, const RenderInputs& in, DepRecorder* deps) {
    if (out->spec.kind != "static") return RenderPage(out->spec, in, deps, &out->bytes);
    deps->Record(dep::StaticFile(out->spec.output));
    auto cached = static_bytes_.find(out->spec.key);
    if (cached != static_bytes_.end()) {
      out->bytes = cached->second;
      return Status::Ok();
    }
    return ReadFile(root_ / out->spec.key, &out->bytes);
  }

  // The outputs of this build, and _headers when kiln writes it.
  std::set<std::string> LiveOutputs() const {
    std::set<std::string> live;
    for (const Output& out : outputs_) live.insert(out.spec.output);
    if (content_->config.edge.headers_file) live.emplace(kHeadersFile);
    return live;
  }

  // Marks the build "writing" and removes what is no longer an output,
  // before the first page is written. Until Finish saves, no manifest
  // proves a no-op (quick_check.h) and the next build repairs site/.
  // Removals first: a path may change between file and folder (a page
  // /about/ removed while static/about appears).
  Status RemoveGone(const std::set<std::string>& live, SQLite::Database* mark_db) {
    std::vector<std::string> gone;
    for (const auto& [url, rec] : before_.pages) {
      if (live.count(rec.output)) continue;
      gone.push_back(rec.output);
      if (!options_.report_keys) continue;
      auto& keys = report_->previous_output_keys[rec.output];
      for (const auto& dep : rec.deps) keys.push_back(dep.first);
    }
    // After a full or interrupted build, anything in site/ that is not an
    // output goes: a full build must equal one into an empty folder.
    const bool sweep = force_ || before_.interrupted;
    if (sweep) {
      std::vector<std::string> files;
      KILN_RETURN_IF_ERROR(ListFilesRecursive(root_ / "site", &files));
      for (auto& f : files) {
        if (!live.count(f)) gone.push_back(f);
      }
    }
    std::sort(gone.begin(), gone.end());
    gone.erase(std::unique(gone.begin(), gone.end()), gone.end());

    const bool any_dirty = std::any_of(outputs_.begin(), outputs_.end(), [](const Output& o) { return o.dirty; });
    if (any_dirty || !gone.empty()) KILN_RETURN_IF_ERROR(MarkBuildWriting(mark_db));
    for (const auto& rel : gone) {
      bool removed;
      KILN_RETURN_IF_ERROR(writer_.Remove(rel, &removed));
      if (removed) report_->removed.push_back(rel);
    }
    return Status::Ok();
  }

  // Before pages are written as they are rendered. The read transaction of
  // rendering is open on db_ (one snapshot of the comments), and a write
  // there would have to upgrade it, which fails once anyone else has
  // written since: the mark goes through a connection of its own.
  Status StartWriting() {
    std::unique_ptr<SQLite::Database> mark_db;
    KILN_RETURN_IF_ERROR(OpenDatabase(root_ / "kiln.db", &mark_db));
    if (options_.checkpointer) options_.checkpointer->Attach(mark_db.get());
    if (options_.resident) KeepWalFileBetweenCheckpoints(mark_db.get());  // in the server, as db_
    return RemoveGone(LiveOutputs(), mark_db.get());
  }

  // A page written by the thread that rendered it; its bytes are freed.
  Status WriteOne(Output* out, char* written) {
    bool changed = false;
    const Status s = writer_.Write(out->spec.output, out->bytes, &changed);
    *written = s.ok() && changed;
    std::string().swap(out->bytes);
    return s;
  }

  Status Write() {
    const std::set<std::string> live = LiveOutputs();
    if (!streamed_) {
      KILN_RETURN_IF_ERROR(RemoveGone(live, db_.get()));
      Report(BuildProgress::Step::kWriting, static_cast<size_t>(std::count_if(
                                                outputs_.begin(), outputs_.end(),
                                                [](const Output& o) { return o.dirty; })));
      for (Output& out : outputs_) {
        if (!out.dirty) continue;
        bool changed;
        KILN_RETURN_IF_ERROR(writer_.Write(out.spec.output, out.bytes, &changed));
        if (options_.progress) options_.progress->CountOne();
        if (changed) report_->written.push_back(out.spec.output);
        std::string().swap(out.bytes);
      }
    }
    KILN_RETURN_IF_ERROR(WriteHeadersFile(live));
    std::sort(report_->written.begin(), report_->written.end());
    return Status::Ok();
  }

  // site/_headers (edge/headers_file.h), made from every output's record
  // and written only when its bytes change; removed when [edge]
  // headers_file is off, unless it is a static file of the site. The comment
  // path knows only the records of the pages it decided on; a comment
  // changes those pages' bytes but rarely the keys they read (the config,
  // which could switch the file on or off, is unchanged on that path), so
  // the whole state is read only when a key list moved.
  Status WriteHeadersFile(const std::set<std::string>& live) {
    const std::string rel(kHeadersFile);
    const EdgeConfig& edge = content_->config.edge;
    if (!edge.headers_file) {
      if (comment_path() || live.count(rel)) return Status::Ok();
      bool removed;
      KILN_RETURN_IF_ERROR(writer_.Remove(rel, &removed));
      if (removed) report_->removed.push_back(rel);
      return Status::Ok();
    }
    std::map<std::string, std::vector<std::string>> keys;
    if (comment_path()) {
      if (!CommentPathMovedKeys()) return Status::Ok();
      BuildState stored;
      KILN_RETURN_IF_ERROR(LoadBuildState(db_.get(), &stored));
      for (const auto& [url, record] : stored.pages) keys[record.output] = KeysOf(record);
    }
    for (const Output& out : outputs_) keys[out.spec.output] = KeysOf(out.record);
    bool changed;
    KILN_RETURN_IF_ERROR(writer_.Write(rel, HeadersFileOf(keys, edge.s_maxage), &changed));
    if (changed) report_->written.push_back(rel);
    return Status::Ok();
  }

  static std::vector<std::string> KeysOf(const PageRecord& record) {
    std::vector<std::string> keys;
    keys.reserve(record.deps.size());
    for (const auto& dep : record.deps) keys.push_back(dep.first);
    return keys;
  }

  // True when a page of the comment path read other keys than its saved
  // record lists (or had none).
  bool CommentPathMovedKeys() const {
    for (const Output& out : outputs_) {
      auto old = before_.pages.find(out.spec.url);
      if (old == before_.pages.end() || KeysOf(old->second) != KeysOf(out.record)) return true;
    }
    return false;
  }

  // Fills the report; saves the state, the manifest and the figures in one
  // transaction (a crash leaves the old state, marked "writing", or the
  // new one); then hands what this build knows to the resident state.
  Status Finish() {
    for (const Output& out : outputs_) {
      if (!out.dirty || !options_.report_keys) continue;
      auto& keys = report_->output_keys[out.spec.output];
      for (const auto& dep : out.record.deps) keys.push_back(dep.first);
      auto old = before_.pages.find(out.spec.url);
      if (old == before_.pages.end()) continue;
      auto& previous = report_->previous_output_keys[old->second.output];
      for (const auto& dep : old->second.deps) previous.push_back(dep.first);
    }
    // Moved, not copied: one copy of each page record (a full build's peak
    // memory was at this point, with every record held twice).
    for (Output& out : outputs_) after_.pages[out.spec.url] = std::move(out.record);
    ReportPages();
    report_->full = force_;
    report_->path = force_           ? "full"
                    : edits_         ? "edits"
                    : comment_path() ? "comments"
                                     : "incremental";
    report_->comment_seq = comment_seq_;
    BuildFigures figures = Figures();
    Manifest manifest;
    uint64_t generation = 0;
    {
      WriteTransaction tx(*db_);
      KILN_RETURN_IF_ERROR(SaveReverseIndexes());
      CrashPointForTests("save-index");
      if (comment_path()) {
        // Only the records decided on and those of the commented posts
        // (before_.comments holds just theirs, as stored), on both sides:
        // sources and all other rows stay as they are.
        BuildState stored, changed;
        stored.pages = std::move(before_.pages);
        stored.comments = std::move(before_.comments);
        changed.pages = std::move(after_.pages);  // nothing reads them after
        for (const std::string& post : changed_posts_) {
          auto it = after_.comments.find(post);
          if (it != after_.comments.end()) changed.comments.insert(*it);
        }
        // The edited files' sources, as the edit path read them.
        stored.source_stamps = std::move(edited_before_);
        changed.sources = std::move(edited_after_);
        KILN_RETURN_IF_ERROR(SaveBuildState(db_.get(), stored, changed, &generation));
        if (content_index_kept_)
          KILN_RETURN_IF_ERROR(SaveContentIndexGeneration(db_.get(), generation));
        CrashPointForTests("save-state");
        if (streamed_) FreePageRecords();
        // Outputs and posts are the last build's: only the seq moved, and
        // after edits the inputs' digest and the next scheduled post.
        manifest = std::move(last_manifest_);
        manifest.comment_seq = comment_seq_;
        if (edits_) {
          manifest.inputs_digest = input_walk_.digest;
          manifest.input_count = input_walk_.count;
          manifest.inputs_complete = input_walk_.complete;
          manifest.next_due = NextDue();
          KILN_RETURN_IF_ERROR(SaveManifest(db_.get(), manifest));
        } else {
          KILN_RETURN_IF_ERROR(SaveManifestCommentSeq(db_.get(), comment_seq_));
        }
      } else {
        KILN_RETURN_IF_ERROR(SaveBuildState(db_.get(), before_, after_, &generation));
        if (content_index_kept_)
          KILN_RETURN_IF_ERROR(SaveContentIndexGeneration(db_.get(), generation));
        CrashPointForTests("save-state");
        if (streamed_) FreePageRecords();
        manifest = NewManifest(figures);
        KILN_RETURN_IF_ERROR(SaveManifest(db_.get(), manifest));
        KILN_RETURN_IF_ERROR(CommentDeps().IsComplete(db_.get(), &comment_index_complete_));
      }
      KILN_RETURN_IF_ERROR(PruneCommentChanges(db_.get(), comment_seq_));
      report_->next_due = manifest.next_due;
      report_->duration_ms = ElapsedMs();
      figures.duration_ms = report_->duration_ms;
      KILN_RETURN_IF_ERROR(RecordBuild(db_.get(), figures, &report_->history_id));
      CrashPointForTests("save-commit");
      tx.commit();
    }
    CrashPointForTests("saved");
    if (streamed_) std::vector<Output>().swap(outputs_);
    // After the commit: a build that failed to save keeps the old count.
    KILN_RETURN_IF_ERROR(RecordShownComments(root_, shown_comments_));
    if (use_snapshot_ && !mem_) mem_ = &disk_state_;
    KeepResident(generation, std::move(manifest));
    SaveSnapshot();
    return Status::Ok();
  }

  // A large build, once its page records are saved: nothing after reads
  // them. Freed before the manifest is made, which was the top of a full
  // build's peak memory with the records still held (100,000 posts: 830 of
  // the 985 MB jemalloc held, 300 MB of it the records).
  void FreePageRecords() {
    std::map<std::string, PageRecord>().swap(before_.pages);
    std::map<std::string, PageRecord>().swap(after_.pages);
  }

  // The reverse indexes follow the page records: rendered pages list the
  // posts whose comments they read, and the content keys they read
  // (dep::IsContentKey), now; pages gone from the site leave them. The
  // content index is made whole by the first build that holds every
  // page's record after it fell out of step (a state saved by a kiln that
  // did not keep it: store/content_deps.h).
  Status SaveReverseIndexes() {
    // The content index stays in step (content_index_kept_) when it was
    // and this build updates its pages, or when it is made whole here: by a
    // build that rendered everything, or one that holds every page's record
    // (not the comment path's few).
    bool content_complete = false;
    if (!force_) KILN_RETURN_IF_ERROR(ContentIndexInStep(db_.get(), &content_complete));
    const bool reset_content = force_ || (!content_complete && !comment_path());
    content_index_kept_ = content_complete || reset_content;
    std::map<std::string, std::vector<std::string>> comment_keys, content_keys;
    for (const Output& out : outputs_) {
      if (out.spec.kind == "static") continue;
      const bool rendered = out.dirty;
      if (!rendered && !reset_content) continue;
      std::vector<std::string>* posts = rendered ? &comment_keys[out.spec.url] : nullptr;
      std::vector<std::string>& keys = content_keys[out.spec.url];
      for (const auto& [key, fp] : after_.pages.at(out.spec.url).deps) {
        if (const auto post = dep::CommentPostOf(key)) {
          if (posts) posts->emplace_back(*post);
        } else if (dep::IsContentKey(key)) {
          keys.push_back(key);
        }
      }
    }
    std::vector<std::string> removed;
    for (const auto& [url, rec] : before_.pages) {
      if (!after_.pages.count(url)) removed.push_back(url);
    }
    KILN_RETURN_IF_ERROR(CommentDeps().Update(db_.get(), force_, comment_keys, removed));
    return ContentDeps().Update(db_.get(), reset_content, content_keys, removed);
  }

  // What the next build's QuickCheck compares against (the comment path
  // keeps the last build's, whose plan it shares).
  Manifest NewManifest(const BuildFigures& figures) const {
    Manifest m;
    m.state_version = kStateVersion;
    m.comment_seq = comment_seq_;
    m.next_due = NextDue();
    m.inputs_digest = input_walk_.digest;
    m.input_count = input_walk_.count;
    m.inputs_complete = input_walk_.complete;
    m.published_posts = report_->published_posts;
    m.pages = static_cast<int64_t>(report_->pages);
    for (const Output& out : outputs_) m.outputs.push_back(out.spec.output);
    if (content_->config.edge.headers_file) m.outputs.emplace_back(kHeadersFile);
    for (const auto& [kind, n] : figures.kinds) m.pages_by_kind[kind] = n.rendered + n.reused;
    return m;
  }

  // When the first scheduled post comes due: the plan changes then.
  int64_t NextDue() const {
    int64_t due = std::numeric_limits<int64_t>::max();
    for (const PostMeta& post : content_->posts) {
      if (!post.draft && post.date > now_) due = std::min(due, post.date);
    }
    return due;
  }

  BuildFigures BaseFigures() const {
    BuildFigures figures;
    figures.finished_at = FormatRfc3339(RealClock().NowSeconds());
    figures.duration_ms = report_->duration_ms;
    figures.pages = static_cast<int64_t>(report_->pages);
    figures.rendered = static_cast<int64_t>(report_->rendered.size());
    figures.unchanged = static_cast<int64_t>(report_->unchanged);
    figures.written = static_cast<int64_t>(report_->written.size());
    figures.removed = static_cast<int64_t>(report_->removed.size());
    return figures;
  }

  BuildFigures Figures() const {
    BuildFigures figures = BaseFigures();
    if (comment_path()) {  // pages not in outputs_ were reused
      for (const auto& [kind, n] : last_manifest_.pages_by_kind) figures.kinds[kind].reused = n;
    }
    for (const Output& out : outputs_) {
      if (out.spec.kind == "static") continue;
      KindFigures& kind = figures.kinds[StatsKind(out.spec.kind)];
      if (comment_path()) --kind.reused;
      ++(out.dirty ? kind.rendered : kind.reused);
    }
    figures.full = force_;
    return figures;
  }

  struct LockFile {
    ~LockFile() { if (fd >= 0) ::close(fd); }
    int fd = -1;
  };

  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  LockFile lock_;  // declared before db_: released after the database closes
  const BuildOptions& options_;
  BuildReport* report_;
  std::filesystem::path root_;
  SiteWriter writer_;
  std::unique_ptr<StoreConnection> db_;
  std::optional<KeptTransaction> read_tx_;
  // RenderDirty wrote the pages as they were rendered.
  bool streamed_ = false;
  BuildState before_, after_;
  bool force_ = false;
  std::string force_reason_;
  ResidentState* mem_;      // the caller's resident state, or nullptr
  const bool use_snapshot_;   // `kiln build`: the site snapshot is read and kept
  ResidentState disk_state_;  // made from the site snapshot (TakeSnapshot), or held (TakeState)
  bool held_ = false;         // disk_state_ is the caller's resident state, held for QuickCheck
  uint64_t snapshot_key_ = 0; // of the manifest the snapshot was looked up with
  bool resident_ = false;   // this build took it (TakeResident)
  uint64_t generation_ = 0;  // of the saved state the resident state describes
  bool comment_index_complete_ = false;
  // The edit path (TakeEdits): QuickCheck's list of the inputs, whether the
  // path may apply, whether it was taken, the files it read again and
  // their sources as the last build saved them.
  WalkedFiles walked_files_;
  bool may_edit_ = false;
  bool content_index_kept_ = false;  // SaveReverseIndexes kept it in step
  bool edits_ = false;
  std::vector<std::string> edited_;
  std::map<std::string, SourceStamp> edited_before_;  // as stored
  SourceCache edited_after_;                          // as read now
  std::vector<std::string> edited_posts_;             // their posts' slugs, sorted
  // Behind a pointer: the index points into it, and it may be handed to and
  // from the resident state.
  std::unique_ptr<SiteContent> content_ = std::make_unique<SiteContent>();
  std::unique_ptr<SiteIndex> index_;
  std::vector<PageSpec> plan_;
  // url -> index in plan_, keyed by views of plan_'s urls (resident_state.h).
  std::unordered_map<std::string_view, size_t> plan_by_url_;
  std::deque<PageSpec> static_specs_;  // of static files, which the plan leaves out
  // Each refers to an entry of plan_ or static_specs_, which keep their
  // places while it lives (moving plan_ to the resident state keeps them).
  std::vector<Output> outputs_;
  std::map<std::string, std::string> static_bytes_;
  std::map<std::string, std::string> template_texts_;  // name -> text, read once per build
  std::unique_ptr<TemplateSet> templates_;  // compiled from template_texts_ (this thread's)
  std::vector<std::unique_ptr<TemplateSet>> worker_templates_;  // the other render threads'
  uint64_t db_device_ = 0, db_inode_ = 0;                       // kiln.db's identity when opened
  bool db_mapped_ = false;  // db_ reads kiln.db through a mapping (Open)
  // QuickCheck found every output the last build's manifest lists in site/.
  bool outputs_checked_ = false;
  std::map<std::string, int64_t> comment_counts_;
  std::unique_ptr<FingerprintCalculator> fingerprints_;
  InputWalk input_walk_{.complete = false};  // the inputs' stats, taken before anything was read
  Manifest last_manifest_;
  Verdict verdict_ = Verdict::kChanged;      // what QuickCheck found
  std::vector<std::string> changed_posts_;  // the comment path's commented posts, sorted
  std::vector<std::string> comment_pages_;  // the comment path's pages, sorted
  int64_t shown_comments_ = 0;  // published comments the pages show, in all
  // The comment path's commented posts: their published comments as read
  // for their records, in the snapshot the pages render from.
  std::map<std::string, std::vector<Comment>> published_comments_;
  bool published_comments_complete_ = false;  // a post not in it has none
  int64_t comment_seq_ = 0;  // the comment change log as far as this build read it
  int64_t now_ = 0;
  mutable bool clock_read_ = false;  // NowSeconds: the build's one reading of the clock
  mutable int64_t now_seconds_ = 0;
  // Deletes the files writer_ retired when the caller gave no janitor;
  // destroyed (and so drained) before writer_.
  FileJanitor own_janitor_;
  FileJanitor* janitor_ = options_.janitor ? options_.janitor : &own_janitor_;
  // PrefetchSnapshot's thread and what it fills. Declared
  // last, so the thread is joined before anything it uses is destroyed.
  ResidentState prefetched_;
  bool prefetched_ok_ = false;
  std::jthread prefetch_;
};

}  // namespace

Status RunBuild(const BuildOptions& options, BuildReport* report) {
  *report = BuildReport();
  // Whatever way this returns, a progress reader learns the build is over.
  struct FinishProgress {
    BuildProgress* progress;
    ~FinishProgress() {
      if (progress) progress->BeginStep(BuildProgress::Step::kFinished);
    }
  } finish_progress{options.progress};
  try {
    auto build = std::make_unique<Build>(options, report);
    Status status = build->Run();
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    if (options.process_exits_after) {
      build->CloseStore();
      (void)build.release();  // left to the exit (BuildOptions::process_exits_after)
    }
#endif
    return status;
  } catch (const SQLite::Exception& e) {
    return Status::Io(e.what(), (options.site_root / "kiln.db").string());
  } catch (const std::exception& e) {
    return Status::Io(std::string("build failed: ") + e.what());
  }
}

}  // namespace kiln
