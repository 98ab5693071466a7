#include "store/manifest.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstring>

#include "store/database.h"
#include "store/statement_cache.h"
#include "store/write_transaction.h"
#include "util/byte_codec.h"
#include "util/hash.h"

namespace kiln {
namespace {

// Implementation details: little-endian fixed-width integers and
// length-prefixed strings, as ninja's logs keep fixed records, so decoding
// is a walk over the bytes with no parsing. Layout:
//   "KLNM" u32 format | i64 state_version next_due pages
//   u8 inputs_complete | i64 input_count | u64 inputs_digest
//   u32 n, n × str output | u32 n, n × str slug | u32 n, n × (str kind, i64)
//   u64 XXH3 of everything before it.
constexpr char kManifestMagic[4] = {'K', 'L', 'N', 'M'};
// 2: comment_seq moved out of the blob (see SaveManifestCommentSeq).
// 3: the inputs as a count and a digest instead of a list of stats.
constexpr uint32_t kManifestFormat = 3;

const char* const kManifestSchema =
    "CREATE TABLE IF NOT EXISTS state_manifest(id INTEGER PRIMARY KEY CHECK (id = 1), data BLOB NOT NULL)";

}  // namespace

std::string EncodeManifest(const Manifest& m) {
  ByteWriter w;
  w.Raw(kManifestMagic, 4);
  w.U32(kManifestFormat);
  w.I64(m.state_version);
  w.I64(m.next_due);
  w.I64(m.pages);
  w.U8(m.inputs_complete ? 1 : 0);
  w.I64(m.input_count);
  w.U64(m.inputs_digest);
  w.U32(static_cast<uint32_t>(m.outputs.size()));
  for (const auto& out : m.outputs) w.Str(out);
  w.U32(static_cast<uint32_t>(m.published_posts.size()));
  for (const auto& slug : m.published_posts) w.Str(slug);
  w.U32(static_cast<uint32_t>(m.pages_by_kind.size()));
  for (const auto& [kind, n] : m.pages_by_kind) {
    w.Str(kind);
    w.I64(n);
  }
  const uint64_t sum = HashBytes(w.bytes());
  w.Raw(&sum, 8);
  return std::move(w.bytes());
}

uint64_t ManifestChecksum(std::string_view encoded) {
  uint64_t sum = 0;
  if (encoded.size() >= 8) std::memcpy(&sum, encoded.data() + encoded.size() - 8, 8);
  return sum;
}

bool DecodeManifest(std::string_view bytes, Manifest* out) {
  *out = Manifest();
  if (bytes.size() < 12) return false;
  const std::string_view body(bytes.data(), bytes.size() - 8);
  if (HashBytes(body) != ManifestChecksum(bytes)) return false;
  ByteReader r(body);
  char magic[4];
  uint32_t format, n;
  uint8_t complete;
  if (!r.Raw(magic, 4) || std::memcmp(magic, kManifestMagic, 4) != 0 || !r.U32(&format) || format != kManifestFormat) {
    return false;
  }
  if (!r.I64(&out->state_version) || !r.I64(&out->next_due) ||
      !r.I64(&out->pages) || !r.U8(&complete)) {
    return false;
  }
  out->inputs_complete = complete != 0;
  if (!r.I64(&out->input_count) || !r.U64(&out->inputs_digest)) return false;
  if (!r.Count(&n, 4)) return false;
  out->outputs.resize(n);
  for (auto& o : out->outputs) {
    if (!r.Str(&o)) return false;
  }
  if (!r.Count(&n, 4)) return false;
  out->published_posts.resize(n);
  for (auto& slug : out->published_posts) {
    if (!r.Str(&slug)) return false;
  }
  if (!r.Count(&n, 12)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    std::string kind;
    int64_t count;
    if (!r.Str(&kind) || !r.I64(&count)) return false;
    out->pages_by_kind[kind] = count;
  }
  return r.AtEnd();
}

Status LoadManifest(SQLite::Database* db, Manifest* out, bool* found, uint64_t* stored_hash) {
  *found = false;
  try {
    Query exists(*db,
                 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                 "name IN ('state_manifest', 'state_meta')");
    if (!exists.executeStep() || exists.getColumn(0).getInt() != 2) return Status::Ok();
    Query seq(*db, "SELECT value FROM state_meta WHERE key = 'manifest_comment_seq'");
    if (!seq.executeStep()) return Status::Ok();
    Query q(*db, "SELECT data FROM state_manifest WHERE id = 1");
    if (!q.executeStep()) return Status::Ok();
    // Decoded where SQLite holds it: a copy of the blob (0.9 MB at 4,000
    // posts) and a second hash of it were a fifth of the manifest's cost.
    const SQLite::Column data = q.getColumn(0);
    const std::string_view bytes(static_cast<const char*>(data.getBlob()), data.getBytes());
    *found = DecodeManifest(bytes, out);
    if (stored_hash) *stored_hash = ManifestChecksum(bytes);
    if (*found) out->comment_seq = std::stoll(seq.getColumn(0).getString());
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot read the build manifest: ") + e.what(), db->getFilename());
  } catch (const std::exception&) {  // a comment_seq that is not a number
    *found = false;
    return Status::Ok();
  }
}

Status SaveManifest(SQLite::Database* db, const Manifest& manifest) {
  try {
    WriteTransaction tx(*db);
    EnsureSchema(db, "state_manifest", kManifestSchema);
    const std::string bytes = EncodeManifest(manifest);
    Query q(*db, "INSERT OR REPLACE INTO state_manifest(id, data) VALUES (1, ?)");
    q.bind(1, bytes.data(), static_cast<int>(bytes.size()));
    q.exec();
    KILN_RETURN_IF_ERROR(SaveManifestCommentSeq(db, manifest.comment_seq));
    tx.commit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot save the build manifest: ") + e.what(), db->getFilename());
  }
}

Status SaveManifestCommentSeq(SQLite::Database* db, int64_t comment_seq) {
  try {
    Query q(*db,
            "INSERT OR REPLACE INTO state_meta(key, value) VALUES ('manifest_comment_seq', ?)");
    q.bind(1, std::to_string(comment_seq));
    q.exec();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot save the build manifest: ") + e.what(), db->getFilename());
  }
}

}  // namespace kiln
