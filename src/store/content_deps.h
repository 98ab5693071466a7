// The reverse index of content dependencies: for each key a content file's
// edit can change (dep::IsContentKey, render/dep_recorder.h), the pages that read it when they were
// last rendered. A build where only posts' and pages' files were edited in place asks it which
// pages to decide on (engine/build.cc, the edit path).
//
// Table state_content_deps(key, url): a DepIndex (store/dep_index.h).
#pragma once

#include <cstdint>

#include "store/dep_index.h"
#include "util/status.h"

namespace kiln {

const DepIndex& ContentDeps();

// Whether the index describes the state now saved: complete (DepIndex::
// IsComplete), and kept in step by the build that saved that state. Every
// build that keeps it records the state's generation (store/build_state.h)
// with it (SaveContentIndexGeneration); a kiln from before the index saves
// states without touching it, which leaves the two apart, so a site built
// by an older kiln in between is never decided on with a stale index.
Status ContentIndexInStep(SQLite::Database* db, bool* in_step);

// Records that the index is in step with the state of `generation`; in the
// transaction that saves that state.
Status SaveContentIndexGeneration(SQLite::Database* db, uint64_t generation);

}  // namespace kiln
