// The tests use SQLite as the binary does: configured before anything else
// runs (store/database.h, ConfigureSqlite), here during static
// initialization, while the process has one thread.
#include "store/database.h"

namespace {

const bool kSqliteConfigured = [] {
  kiln::ConfigureSqlite();
  return true;
}();

}  // namespace
