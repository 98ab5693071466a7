#include "store/build_state.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <sstream>

#include "store/database.h"
#include "store/statement_cache.h"
#include "store/write_transaction.h"

namespace kiln {
namespace {

// Implementation details: the state lives in tables prefixed state_ inside
// kiln.db, beside the comments, so that one file holds everything a site
// needs to survive. Fingerprints are stored as signed 64-bit integers
// (SQLite has no unsigned type); the cast round-trips bit for bit.

const char* const kStateSchema = R"sql(
CREATE TABLE IF NOT EXISTS state_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state_sources(
  path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER,
  observed_ns INTEGER, content_hash INTEGER, slug TEXT, title TEXT, summary TEXT,
  date INTEGER, updated INTEGER, tags TEXT, draft INTEGER, body_hash INTEGER,
  extra TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state_pages(
  url TEXT PRIMARY KEY, output TEXT NOT NULL, kind TEXT NOT NULL, deps TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state_comments(
  post TEXT PRIMARY KEY, version INTEGER NOT NULL, fingerprint INTEGER NOT NULL,
  count INTEGER NOT NULL) WITHOUT ROWID;
)sql";

constexpr char kTagSeparator = '\x1f';

int64_t ToDb(Fingerprint fp) { return static_cast<int64_t>(fp); }
Fingerprint FromDb(int64_t v) { return static_cast<Fingerprint>(v); }

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (size_t i = 0; i < tags.size(); ++i) {
    if (i) out += kTagSeparator;
    out += tags[i];
  }
  return out;
}

std::vector<std::string> SplitStoredTags(const std::string& text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  std::string cur;
  for (char c : text) {
    if (c == kTagSeparator) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// The post fields added after the table's first columns, in one BLOB: a
// new field then needs no new column (kStateVersion still moves, since old
// rows lack it). Length-prefixed, as the manifest (store/manifest.cc): it
// is decoded for every source at every build that loads the state, and a
// JSON parse per row was the largest part of loading it (perf, 4,000 posts).
//   "X1" | str title_part | i64 date_local updated_local | str timezone
//   author description permalink | u32 n, n × str alias   (str = u32 + bytes)
void PutU32(std::string* out, uint32_t v) { out->append(reinterpret_cast<const char*>(&v), 4); }
void PutI64(std::string* out, int64_t v) { out->append(reinterpret_cast<const char*>(&v), 8); }
void PutStr(std::string* out, const std::string& v) {
  PutU32(out, static_cast<uint32_t>(v.size()));
  *out += v;
}

struct BlobReader {
  std::string_view in;
  bool Raw(void* p, size_t n) {
    if (n > in.size()) return false;
    std::memcpy(p, in.data(), n);
    in.remove_prefix(n);
    return true;
  }
  bool I64(int64_t* v) { return Raw(v, 8); }
  bool Str(std::string* v) {
    uint32_t n;
    if (!Raw(&n, 4) || n > in.size()) return false;
    v->assign(in.substr(0, n));
    in.remove_prefix(n);
    return true;
  }
};

std::string EncodeExtra(const PostMeta& p) {
  std::string out = "X1";
  PutStr(&out, p.title_part);
  PutI64(&out, p.date_local);
  PutI64(&out, p.updated_local);
  for (const std::string* field : {&p.timezone, &p.author, &p.description, &p.permalink}) PutStr(&out, *field);
  PutU32(&out, static_cast<uint32_t>(p.aliases.size()));
  for (const auto& alias : p.aliases) PutStr(&out, alias);
  return out;
}

// The bytes of a column, whatever its type (a damaged row may hold text or a
// number where a BLOB belongs: the decoders then reject it).
std::string_view BlobOf(const SQLite::Column& column) {
  const void* data = column.getBlob();  // before getBytes, as sqlite3_column_bytes asks
  const int n = column.getBytes();
  return n ? std::string_view(static_cast<const char*>(data), static_cast<size_t>(n)) : std::string_view();
}

// False when `bytes` is not an extra of this format (the state is then corrupt).
bool DecodeExtra(std::string_view bytes, PostMeta* p) {
  if (bytes.empty()) return true;  // a page's row
  if (bytes.substr(0, 2) != "X1") return false;
  BlobReader r{bytes.substr(2)};
  uint32_t n;
  if (!r.Str(&p->title_part) || !r.I64(&p->date_local) || !r.I64(&p->updated_local) ||
      !r.Str(&p->timezone) || !r.Str(&p->author) || !r.Str(&p->description) || !r.Str(&p->permalink) ||
      !r.Raw(&n, 4) || n > r.in.size() / 4) {
    return false;
  }
  p->aliases.resize(n);
  for (auto& alias : p->aliases) {
    if (!r.Str(&alias)) return false;
  }
  return r.in.empty();
}

SourceStamp StampOf(const CachedSource& s) { return {s.stat, s.observed_ns, s.content_hash}; }

bool SameSource(const CachedSource& a, const CachedSource& b) { return StampOf(a) == StampOf(b); }
bool SameStamp(const SourceStamp& a, const CachedSource& b) { return a == StampOf(b); }

// Columns 1-6 of a state_sources row (path, then these, come first in
// both queries below).
SourceStamp ReadStamp(Query& q) {
  SourceStamp s;
  s.stat.size = q.getColumn(1).getInt64();
  s.stat.mtime_ns = q.getColumn(2).getInt64();
  s.stat.ctime_ns = q.getColumn(3).getInt64();
  s.stat.inode = q.getColumn(4).getInt64();
  s.observed_ns = q.getColumn(5).getInt64();
  s.content_hash = FromDb(q.getColumn(6).getInt64());
  return s;
}

// The stamps of the stored sources alone (LoadDetail::kForSave).
void LoadSourceStamps(SQLite::Database* db, std::map<std::string, SourceStamp>* out) {
  Query q(*db,
          "SELECT path, size, mtime_ns, ctime_ns, inode, observed_ns, content_hash "
          "FROM state_sources");
  while (q.executeStep()) out->emplace(q.getColumn(0).getString(), ReadStamp(q));
}

// False when a row does not decode: `*bad` names it.
bool LoadSources(SQLite::Database* db, SourceCache* out, std::string* bad) {
  Query q(*db,
          "SELECT path, size, mtime_ns, ctime_ns, inode, observed_ns, content_hash, "
          "slug, title, summary, date, updated, tags, draft, body_hash, extra "
          "FROM state_sources");
  while (q.executeStep()) {
    CachedSource s;
    std::string path = q.getColumn(0).getString();
    const SourceStamp stamp = ReadStamp(q);
    s.stat = stamp.stat;
    s.observed_ns = stamp.observed_ns;
    s.content_hash = stamp.content_hash;
    // The same columns serve posts and pages; each reader uses its half.
    s.post.source = s.page.source = path;
    s.post.slug = s.page.slug = q.getColumn(7).getString();
    s.post.title = s.page.title = q.getColumn(8).getString();
    s.post.summary = q.getColumn(9).getString();
    s.post.date = q.getColumn(10).getInt64();
    s.post.updated = q.getColumn(11).getInt64();
    s.post.tags = SplitStoredTags(q.getColumn(12).getString());
    s.post.draft = q.getColumn(13).getInt() != 0;
    s.post.body_hash = s.page.body_hash = FromDb(q.getColumn(14).getInt64());
    if (!DecodeExtra(BlobOf(q.getColumn(15)), &s.post)) {
      *bad = path;
      return false;
    }
    (*out)[path] = std::move(s);
  }
  return true;
}

// `q` is "INSERT OR REPLACE INTO state_sources VALUES (…)", prepared once
// for all the rows a save writes (a full build of a new site writes every one).
void SaveSource(Query* q, const std::string& path, const CachedSource& s) {
  const bool is_post = path.rfind("content/posts/", 0) == 0;
  q->bind(1, path);
  q->bind(2, s.stat.size);
  q->bind(3, s.stat.mtime_ns);
  q->bind(4, s.stat.ctime_ns);
  q->bind(5, s.stat.inode);
  q->bind(6, s.observed_ns);
  q->bind(7, ToDb(s.content_hash));
  q->bind(8, is_post ? s.post.slug : s.page.slug);
  q->bind(9, is_post ? s.post.title : s.page.title);
  q->bind(10, s.post.summary);
  q->bind(11, s.post.date);
  q->bind(12, s.post.updated);
  q->bind(13, JoinTags(s.post.tags));
  q->bind(14, s.post.draft ? 1 : 0);
  q->bind(15, ToDb(is_post ? s.post.body_hash : s.page.body_hash));
  const std::string extra = is_post ? EncodeExtra(s.post) : std::string();
  q->bind(16, extra.data(), static_cast<int>(extra.size()));
  q->exec();
  q->reset();
}

Fingerprint DigestOfDeps(const DepList& deps) {
  Fingerprint digest = 0;
  DigestOfEncodedDeps(EncodeDeps(deps), &digest);
  return digest;
}

// `stored` may hold only the digest of its keys (LoadDetail::kForSave); `now`
// comes from this build and always holds them.
bool SamePage(const PageRecord& stored, const PageRecord& now) {
  if (stored.output != now.output || stored.kind != now.kind) return false;
  if (!stored.digest_only) return stored.deps == now.deps;
  return !now.digest_only && stored.digest == DigestOfDeps(now.deps);
}

// Writes the rows of `now` that differ from `before`, deletes the rows gone.
template <typename Before, typename Now, typename Same, typename Save>
void SaveDelta(SQLite::Database* db, const char* table, const char* key_column,
               const Before& before, const Now& now, Same same, Save save) {
  for (const auto& [key, value] : now) {
    auto it = before.find(key);
    if (it == before.end() || !same(it->second, value)) save(key, value);
  }
  Query del(*db, std::string("DELETE FROM ") + table + " WHERE " + key_column + " = ?");
  for (const auto& [key, value] : before) {
    if (now.count(key)) continue;
    del.bind(1, key);
    del.exec();
    del.reset();
  }
}

// Random, so two processes saving the same state still differ; never 0.
uint64_t NewGeneration() {
  static std::mutex mutex;
  static std::mt19937_64 random{std::random_device{}()};
  std::lock_guard lock(mutex);
  uint64_t id;
  do id = random(); while (id == 0);
  return id;
}

}  // namespace

std::string EncodeDeps(const DepList& deps) {
  size_t size = 4;
  for (const auto& [key, fp] : deps) size += 12 + key.size();
  std::string out;
  out.reserve(size + 8);
  PutU32(&out, static_cast<uint32_t>(deps.size()));
  for (const auto& [key, fp] : deps) {
    PutStr(&out, key);
    PutI64(&out, static_cast<int64_t>(fp));
  }
  PutI64(&out, static_cast<int64_t>(HashBytes(out)));
  return out;
}

bool DigestOfEncodedDeps(std::string_view bytes, Fingerprint* digest) {
  if (bytes.size() < 12) return false;
  uint64_t sum;
  std::memcpy(&sum, bytes.data() + bytes.size() - 8, 8);
  bytes.remove_suffix(8);
  if (HashBytes(bytes) != sum) return false;
  *digest = static_cast<Fingerprint>(sum);
  return true;
}

bool DecodeDeps(std::string_view bytes, DepList* out) {
  out->clear();
  // A flipped bit in a fingerprint would still decode: the checksum sees it.
  Fingerprint digest;
  if (!DigestOfEncodedDeps(bytes, &digest)) return false;
  bytes.remove_suffix(8);
  BlobReader r{bytes};
  uint32_t n;
  if (!r.Raw(&n, 4) || n > r.in.size() / 12) return false;
  out->reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    std::string key;
    int64_t fp;
    if (!r.Str(&key) || !r.I64(&fp)) return false;
    out->emplace_back(std::move(key), static_cast<Fingerprint>(fp));
  }
  return r.in.empty();
}

Status MarkBuildWriting(SQLite::Database* db) {
  try {
    // Only state_meta is written here; the other tables are made by
    // whoever reads or saves them. Parsing the whole schema again was a
    // sixth of the SQL a comment prepared in `kiln serve`.
    EnsureSchema(db, "state_meta", kStateSchema);
    ExecKept(*db, "INSERT OR REPLACE INTO state_meta VALUES ('writing', '1')");
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot mark the build: ") + e.what(), db->getFilename());
  }
}

namespace {

void ReadCommentRecords(SQLite::Database* db, std::map<std::string, CommentRecord>* out) {
  Query comments(*db, "SELECT post, version, fingerprint, count FROM state_comments");
  while (comments.executeStep()) {
    CommentRecord rec{comments.getColumn(1).getInt64(), FromDb(comments.getColumn(2).getInt64()),
                      comments.getColumn(3).getInt64()};
    out->emplace_hint(out->end(), comments.getColumn(0).getString(), rec);
  }
}

}  // namespace

Status LoadCommentRecords(SQLite::Database* db, std::map<std::string, CommentRecord>* out, bool* corrupt) {
  out->clear();
  *corrupt = false;
  try {
    ReadCommentRecords(db, out);
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_CORRUPT || e.getErrorCode() == SQLITE_MISMATCH ||
        e.getErrorCode() == SQLITE_ERROR) {
      out->clear();
      *corrupt = true;
      return Status::Ok();
    }
    return Status::Io(e.what(), db->getFilename());
  }
}

Status LoadBuildState(SQLite::Database* db, BuildState* out,
                      const std::vector<std::string>* only_urls, LoadDetail detail) {
  *out = BuildState();
  try {
    // Count the state tables before creating missing ones: a state with a
    // version but a dropped table is incomplete, not empty.
    const int tables = db->execAndGet(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
        "('state_meta', 'state_sources', 'state_pages', 'state_comments')").getInt();
    db->exec(kStateSchema);
    Query version(*db, "SELECT value FROM state_meta WHERE key = 'version'");
    if (!version.executeStep()) {
      out->invalid_reason = "no build state yet";
      return Status::Ok();
    }
    if (version.getColumn(0).getString() != std::to_string(kStateVersion)) {
      out->invalid_reason = "build state is of version " + version.getColumn(0).getString() +
                            ", this kiln writes " + std::to_string(kStateVersion);
      return Status::Ok();
    }
    if (tables != 4) {
      out->invalid_reason = "build state is incomplete (a state table is missing)";
      return Status::Ok();
    }
    Query writing(*db, "SELECT 1 FROM state_meta WHERE key = 'writing'");
    out->interrupted = writing.executeStep();
    std::string bad_source;
    if (detail == LoadDetail::kForSave) {
      LoadSourceStamps(db, &out->source_stamps);
    } else if (!LoadSources(db, &out->sources, &bad_source)) {
      *out = BuildState();
      out->invalid_reason = "build state is corrupt (source " + bad_source + ")";
      return Status::Ok();
    }
    Query pages(*db, only_urls ? "SELECT url, output, kind, deps FROM state_pages WHERE url = ?"
                               : "SELECT url, output, kind, deps FROM state_pages");
    size_t next_url = 0;
    auto step = [&] {
      if (!only_urls) return pages.executeStep();
      for (;;) {
        if (pages.executeStep()) return true;
        if (next_url == only_urls->size()) return false;
        pages.reset();
        pages.bind(1, (*only_urls)[next_url++]);
      }
    };
    while (step()) {
      PageRecord rec;
      rec.output = pages.getColumn(1).getString();
      rec.kind = pages.getColumn(2).getString();
      rec.digest_only = detail == LoadDetail::kForSave;
      const std::string_view deps = BlobOf(pages.getColumn(3));
      const bool decoded =
          rec.digest_only ? DigestOfEncodedDeps(deps, &rec.digest) : DecodeDeps(deps, &rec.deps);
      if (!decoded || rec.output.empty()) {
        *out = BuildState();
        out->invalid_reason = "build state is corrupt (page " + pages.getColumn(0).getString() + ")";
        return Status::Ok();
      }
      out->pages[pages.getColumn(0).getString()] = std::move(rec);
    }
    ReadCommentRecords(db, &out->comments);
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    // A damaged state table is a cache miss; a database that cannot be read
    // at all holds comments too, and is reported instead.
    if (e.getErrorCode() == SQLITE_CORRUPT || e.getErrorCode() == SQLITE_MISMATCH ||
        e.getErrorCode() == SQLITE_ERROR) {
      *out = BuildState();
      out->invalid_reason = std::string("build state is unreadable (") + e.what() + ")";
      return Status::Ok();
    }
    return Status::Io(e.what(), db->getFilename());
  }
}

Status ReadStateGeneration(SQLite::Database* db, uint64_t* generation) {
  *generation = 0;
  try {
    Query exists(*db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'state_meta'");
    if (!exists.executeStep()) return Status::Ok();
    Query q(*db,
            "SELECT key, value FROM state_meta WHERE key IN ('version', 'writing', 'generation')");
    bool version_ok = false, writing = false;
    uint64_t id = 0;
    while (q.executeStep()) {
      const std::string key = q.getColumn(0).getString();
      if (key == "writing") writing = true;
      if (key == "version") version_ok = q.getColumn(1).getString() == std::to_string(kStateVersion);
      if (key == "generation") id = std::strtoull(q.getColumn(1).getString().c_str(), nullptr, 10);
    }
    if (version_ok && !writing) *generation = id;
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot read the build state: ") + e.what(), db->getFilename());
  }
}

Status LoadPageRecords(SQLite::Database* db, const std::vector<std::string>& urls,
                       std::map<std::string, PageRecord>* out, bool* corrupt) {
  out->clear();
  *corrupt = false;
  try {
    Query q(*db, "SELECT output, kind, deps FROM state_pages WHERE url = ?");
    for (const std::string& url : urls) {
      q.bind(1, url);
      if (q.executeStep()) {
        PageRecord rec;
        rec.output = q.getColumn(0).getString();
        rec.kind = q.getColumn(1).getString();
        if (!DecodeDeps(BlobOf(q.getColumn(2)), &rec.deps) || rec.output.empty()) {
          *corrupt = true;
          return Status::Ok();
        }
        (*out)[url] = std::move(rec);
      }
      q.reset();
    }
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot read the build state: ") + e.what(), db->getFilename());
  }
}

Status LoadSourceStampsOnly(SQLite::Database* db, std::map<std::string, SourceStamp>* out) {
  out->clear();
  try {
    LoadSourceStamps(db, out);
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot read the build state: ") + e.what(), db->getFilename());
  }
}

Status SaveBuildState(SQLite::Database* db, const BuildState& before_in, const BuildState& now,
                      uint64_t* generation) {
  try {
    WriteTransaction tx(*db);
    static const BuildState kEmpty;
    const BuildState* before = &before_in;
    if (!before_in.invalid_reason.empty()) {
      // Start over: the tables may hold rows of another version or garbage.
      db->exec("DROP TABLE IF EXISTS state_meta; DROP TABLE IF EXISTS state_sources;"
               "DROP TABLE IF EXISTS state_pages; DROP TABLE IF EXISTS state_comments;");
      db->exec(kStateSchema);
      Query v(*db, "INSERT INTO state_meta VALUES ('version', ?)");
      v.bind(1, std::to_string(kStateVersion));
      v.exec();
      before = &kEmpty;
    }
    // Each statement is prepared once and reset per row.
    Query put_source(*db,
                     "INSERT OR REPLACE INTO state_sources VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto save_source = [&](const std::string& k, const CachedSource& s) {
      SaveSource(&put_source, k, s);
    };
    if (before->source_stamps.empty()) {
      SaveDelta(db, "state_sources", "path", before->sources, now.sources, SameSource, save_source);
    } else {
      SaveDelta(db, "state_sources", "path", before->source_stamps, now.sources, SameStamp,
                save_source);
    }
    Query put_page(*db, "INSERT OR REPLACE INTO state_pages VALUES (?, ?, ?, ?)");
    SaveDelta(db, "state_pages", "url", before->pages, now.pages, SamePage,
              [&](const std::string& url, const PageRecord& rec) {
                put_page.bind(1, url);
                put_page.bind(2, rec.output);
                put_page.bind(3, rec.kind);
                const std::string deps = EncodeDeps(rec.deps);
                put_page.bind(4, deps.data(), static_cast<int>(deps.size()));
                put_page.exec();
                put_page.reset();
              });
    Query put_comment(*db, "INSERT OR REPLACE INTO state_comments VALUES (?, ?, ?, ?)");
    SaveDelta(
        db, "state_comments", "post", before->comments, now.comments,
        [](const CommentRecord& a, const CommentRecord& b) { return a == b; },
        [&](const std::string& post, const CommentRecord& rec) {
          put_comment.bind(1, post);
          put_comment.bind(2, rec.version);
          put_comment.bind(3, ToDb(rec.fingerprint));
          put_comment.bind(4, rec.count);
          put_comment.exec();
          put_comment.reset();
        });
    ExecKept(*db, "DELETE FROM state_meta WHERE key = 'writing'");
    const uint64_t id = NewGeneration();
    Query g(*db, "INSERT OR REPLACE INTO state_meta VALUES ('generation', ?)");
    g.bind(1, std::to_string(id));
    g.exec();
    tx.commit();
    if (generation) *generation = id;
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot save the build state: ") + e.what(), db->getFilename());
  }
}

}  // namespace kiln
