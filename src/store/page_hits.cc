#include "store/page_hits.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/statement_cache.h"
#include "store/write_transaction.h"
#include "util/time_format.h"

namespace kiln {

Status RecordHits(SQLite::Database* db, const std::vector<PageHitDelta>& deltas,
                  const std::vector<ServeSample>& samples, int64_t now) {
  try {
    KeptTransaction tx(*db, KeptTransaction::Kind::kImmediate);
    Query page(*db,
               "INSERT INTO page_hits(url, hits, not_modified, regenerations, last_seen_at) "
               "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(url) DO UPDATE SET "
               "hits = hits + ?2, not_modified = not_modified + ?3, "
               "regenerations = regenerations + ?4, last_seen_at = ?5");
    const std::string when = FormatRfc3339(now);
    for (const PageHitDelta& d : deltas) {
      page.bind(1, d.url);
      page.bind(2, d.hits);
      page.bind(3, d.not_modified);
      page.bind(4, d.regenerations);
      page.bind(5, when);
      page.exec();
      page.reset();
    }
    // OR REPLACE: two flushes within one second (the one at shutdown right
    // after a periodic one) share a key; the later one covers both.
    Query sample(*db, "INSERT OR REPLACE INTO serve_samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const ServeSample& s : samples) {
      sample.bind(1, s.at);
      sample.bind(2, s.seconds);
      sample.bind(3, s.requests);
      sample.bind(4, s.hits);
      sample.bind(5, s.regenerations);
      sample.bind(6, s.builds);
      sample.bind(7, s.comments);
      sample.bind(8, s.comment_ms_sum);
      sample.bind(9, s.comment_ms_max);
      sample.exec();
      sample.reset();
    }
    Query prune(*db, "DELETE FROM serve_samples WHERE at < ?");
    prune.bind(1, now - kSampleRetentionSeconds);
    prune.exec();
    tx.commit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot record hits: ") + e.what(), db->getFilename());
  }
}

Status ReadPageHits(SQLite::Database* db, int limit, std::vector<PageHitRow>* out) {
  try {
    out->clear();
    Query q(*db,
            "SELECT url, hits, not_modified, regenerations, last_seen_at FROM page_hits "
            "WHERE hits > 0 OR regenerations > 0 ORDER BY hits DESC, url LIMIT ?");
    q.bind(1, limit);
    while (q.executeStep()) {
      out->push_back({q.getColumn(0).getString(), q.getColumn(1).getInt64(), q.getColumn(2).getInt64(),
                      q.getColumn(3).getInt64(), q.getColumn(4).getString()});
    }
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(e.what(), db->getFilename());
  }
}

Status ReadServeSamples(SQLite::Database* db, int limit, std::vector<ServeSample>* out) {
  try {
    out->clear();
    Query q(*db,
            "SELECT * FROM (SELECT at, seconds, requests, hits, regenerations, builds, "
            "comments, comment_ms_sum, comment_ms_max FROM serve_samples "
            "ORDER BY at DESC LIMIT ?) ORDER BY at");
    q.bind(1, limit);
    while (q.executeStep()) {
      ServeSample s;
      s.at = q.getColumn(0).getInt64();
      s.seconds = q.getColumn(1).getInt64();
      s.requests = q.getColumn(2).getInt64();
      s.hits = q.getColumn(3).getInt64();
      s.regenerations = q.getColumn(4).getInt64();
      s.builds = q.getColumn(5).getInt64();
      s.comments = q.getColumn(6).getInt64();
      s.comment_ms_sum = q.getColumn(7).getDouble();
      s.comment_ms_max = q.getColumn(8).getDouble();
      out->push_back(s);
    }
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(e.what(), db->getFilename());
  }
}

}  // namespace kiln
