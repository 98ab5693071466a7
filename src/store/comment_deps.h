// The reverse index of comment dependencies: for each post, the pages that
// read its comments or its comment count when they were last rendered
// (dependency keys comments:SLUG and count:SLUG). A build where only
// comments changed asks it which pages to decide on.
//
// Table state_comment_deps(post, url): a DepIndex (store/dep_index.h) keyed
// by the post's slug.
#pragma once

#include "store/dep_index.h"

namespace kiln {

const DepIndex& CommentDeps();

}  // namespace kiln
