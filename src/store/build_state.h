// The build state: what the last build rendered and from what. It is a cache
// (STYLE.md, "Derived state is a cache"): when it is missing, corrupt or of
// another kStateVersion, Load reports why and the build renders everything.
// Saving writes only the rows that differ from what was loaded, so a no-op
// build writes nothing but its line in build_history.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "load/source_cache.h"
#include "util/hash.h"
#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

// Bump when the meaning of a dependency key or the rendered bytes change in a
// way old fingerprints cannot see (a new template variable, a markdown
// option): the next build then renders everything once.
// 2: pages rendered while cmark-gfm's extension table raced (issue 7, item
// 1) may have lost strikethrough, autolinks or table cells, and their
// fingerprints match: render everything once to repair them.
// 3: posts' URLs from permalinks, aliases, bundles, base_path links,
// robots.txt; post metadata in state_sources.extra.
// 4: state_sources.extra and state_pages.deps are length-prefixed binary
// instead of JSON and hex text; fenced code with a known language is
// highlighted (issue 8), so bodies with code blocks render to other bytes.
// 5: comments show no images (a link instead) and their headings start at
// h4 (render/comment_markdown.h); pages showing comments render once again.
// 6: posts and pages record config:markdown.highlight ([markdown] highlight);
// records made before lack it, so turning it off would render nothing.
// 7: a feed per tag (/tags/T/feed.xml, issue 8): new outputs that the
// manifest of an older build does not list, so its no-op check would never
// write them; and feeds record config:feed_content.
constexpr int kStateVersion = 7;

using DepList = std::vector<std::pair<std::string, Fingerprint>>;  // key -> fingerprint

struct PageRecord {
  std::string output;  // path under site/, e.g. posts/a/index.html
  std::string kind;    // home, list, post, tags, tag, page, feed, tagfeed, sitemap, 404, static
  DepList deps;
  // Loaded with LoadDetail::kForSave: `deps` is left empty and `digest` is the
  // checksum stored with them (EncodeDeps), enough to tell an unchanged
  // record when saving, not to decide whether the page is dirty.
  bool digest_only = false;
  Fingerprint digest = 0;
  bool operator==(const PageRecord&) const = default;
};

// How much of the state LoadBuildState reads. A build that renders every
// page anyway (`kiln build --full`) decides nothing by the stored records:
// kForSave reads only what SaveBuildState needs to write the rows that
// changed, each page record's digest (PageRecord::digest_only) and each
// source's stamp (BuildState::source_stamps). A full build held the old
// and the new keys of every page at its peak.
enum class LoadDetail { kWhole, kForSave };

struct CommentRecord {
  int64_t version = 0;        // comment_versions.version when last read
  Fingerprint fingerprint = 0;  // hash of the published comments' shown fields
  int64_t count = 0;          // published comments
  bool operator==(const CommentRecord&) const = default;
};

// What a stored source row is compared by when saving (SameSource).
struct SourceStamp {
  FileStat stat;
  int64_t observed_ns = 0;
  Fingerprint content_hash = 0;
  bool operator==(const SourceStamp&) const = default;
};

struct BuildState {
  std::string invalid_reason;  // non-empty: unusable, do a full build
  bool interrupted = false;    // a build began writing site/ and never saved
  SourceCache sources;
  // After a LoadDetail::kForSave load, the stored sources are here instead
  // of in `sources` (which stays empty): a CachedSource is a kilobyte even
  // with its fields empty, a stamp a tenth of that.
  std::map<std::string, SourceStamp> source_stamps;
  std::map<std::string, PageRecord> pages;  // by URL ("/posts/a/", "/style.css")
  std::map<std::string, CommentRecord> comments;  // by post slug
};

// Loads the state; never fails on a bad state, which sets invalid_reason
// instead. Errors only when the database itself cannot be read. With
// `only_urls`, `pages` holds just those records (the comment path of
// engine/quick_check.h, which renders nothing else); sources and comment
// records are always whole.
Status LoadBuildState(SQLite::Database* db, BuildState* out,
                      const std::vector<std::string>* only_urls = nullptr,
                      LoadDetail detail = LoadDetail::kWhole);

// The stamp (stat, when it was taken, content hash) of every stored source,
// alone: what the edit path (engine/build.cc) compares the inputs with.
Status LoadSourceStampsOnly(SQLite::Database* db, std::map<std::string, SourceStamp>* out);

// Every comment record of the saved state, alone (a comment build that has
// the rest from engine/site_snapshot.h). `*corrupt` when the table cannot
// be read as one.
Status LoadCommentRecords(SQLite::Database* db, std::map<std::string, CommentRecord>* out, bool* corrupt);

// Makes the stored state equal `now`, given that `before` is what is stored
// (or an invalid state, which clears the tables first). One transaction.
// Maps may be partial on both sides (the comment path saves only the pages
// and comment records it decided on): rows in neither are left alone.
// `*generation` receives a new random id of the saved state (see below).
Status SaveBuildState(SQLite::Database* db, const BuildState& before, const BuildState& now,
                      uint64_t* generation = nullptr);

// The id of the saved state, new at every SaveBuildState by any process; 0
// when there is no settled state (none, another version, or a build marked
// writing). The resident engine of `kiln serve` compares it with the one
// its own last save returned: equal means no other process has built since
// and the state in memory is the state on disk (engine/resident_state.h).
Status ReadStateGeneration(SQLite::Database* db, uint64_t* generation);

// Only the records of `urls` that exist, with no sources or comment
// records: for the resident engine, which holds those in memory. A record
// that does not decode sets `*corrupt`.
Status LoadPageRecords(SQLite::Database* db, const std::vector<std::string>& urls,
                       std::map<std::string, PageRecord>* out, bool* corrupt);

// Records that a build is about to change site/; SaveBuildState clears it.
// A build that finds it set knows the previous one was killed mid-write.
Status MarkBuildWriting(SQLite::Database* db);

// Serialized form of a dependency list (state_pages.deps, a BLOB): u32 n,
// then n × (u32 key length, key bytes, u64 fingerprint), then the XXH3-64
// of all that, little-endian. No
// hex text to parse: loading the records of every page decoded one hex
// fingerprint per key (issue 6). DecodeDeps rejects any cut, extra or changed byte.
std::string EncodeDeps(const DepList& deps);
bool DecodeDeps(std::string_view bytes, DepList* out);
// The checksum at the end of EncodeDeps's bytes, false when it does not
// match the bytes before it (as DecodeDeps would say) or they are too short.
bool DigestOfEncodedDeps(std::string_view bytes, Fingerprint* digest);

}  // namespace kiln
