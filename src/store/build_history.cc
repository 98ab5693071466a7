#include "store/build_history.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <random>

#include "store/statement_cache.h"
#include "store/write_transaction.h"

namespace kiln {

int64_t ProcessWriterId() {
  // Drawn once per process. Not the pid: a server and a build in two
  // containers that share the site can both be pid 1.
  static const int64_t id = [] {
    std::random_device device;
    const uint64_t bits = (static_cast<uint64_t>(device()) << 32) ^ device();
    return static_cast<int64_t>(bits >> 1) | 1;  // positive, never 0
  }();
  return id;
}

Status RecordBuild(SQLite::Database* db, const BuildFigures& f, int64_t* id_out) {
  try {
    WriteTransaction tx(*db);
    Query q(*db,
            "INSERT INTO build_history(finished_at, full, duration_ms, pages, rendered, "
            "unchanged, written, removed, writer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, f.finished_at);
    q.bind(2, f.full ? 1 : 0);
    q.bind(3, f.duration_ms);
    q.bind(4, f.pages);
    q.bind(5, f.rendered);
    q.bind(6, f.unchanged);
    q.bind(7, f.written);
    q.bind(8, f.removed);
    q.bind(9, ProcessWriterId());
    q.exec();
    const int64_t id = db->getLastInsertRowid();
    if (id_out) *id_out = id;
    Query k(*db, "INSERT INTO build_history_kinds VALUES (?, ?, ?, ?)");
    for (const auto& [kind, figures] : f.kinds) {
      k.bind(1, id);
      k.bind(2, kind);
      k.bind(3, figures.rendered);
      k.bind(4, figures.reused);
      k.exec();
      k.reset();
    }
    tx.commit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot record the build: ") + e.what(), db->getFilename());
  }
}

Status ReadRecentBuilds(SQLite::Database* db, int limit, std::vector<BuildFigures>* out) {
  try {
    out->clear();
    Query q(*db,
            "SELECT id, finished_at, full, duration_ms, pages, rendered, unchanged, "
            "written, removed FROM build_history ORDER BY id DESC LIMIT ?");
    q.bind(1, limit);
    Query k(*db, "SELECT kind, rendered, reused FROM build_history_kinds WHERE build_id = ?");
    while (q.executeStep()) {
      BuildFigures f;
      f.finished_at = q.getColumn(1).getString();
      f.full = q.getColumn(2).getInt() != 0;
      f.duration_ms = q.getColumn(3).getDouble();
      f.pages = q.getColumn(4).getInt64();
      f.rendered = q.getColumn(5).getInt64();
      f.unchanged = q.getColumn(6).getInt64();
      f.written = q.getColumn(7).getInt64();
      f.removed = q.getColumn(8).getInt64();
      k.bind(1, q.getColumn(0).getInt64());
      while (k.executeStep()) {
        f.kinds[k.getColumn(0).getString()] = {k.getColumn(1).getInt64(), k.getColumn(2).getInt64()};
      }
      k.reset();
      out->push_back(std::move(f));
    }
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(e.what(), db->getFilename());
  }
}

}  // namespace kiln
