// The reverse index of content dependencies: for each key a content file's
// edit can change (dep::IsContentKey, render/dep_recorder.h), the pages that read it when they were
// last rendered. A build where only posts' and pages' files were edited in place asks it which
// pages to decide on (engine/build.cc, the edit path).
//
// Table state_content_deps(key, url): a DepIndex (store/dep_index.h).
#pragma once

#include "store/dep_index.h"

namespace kiln {

const DepIndex& ContentDeps();

}  // namespace kiln
