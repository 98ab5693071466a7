#include "store/comment_deps.h"

namespace kiln {

const DepIndex& CommentDeps() {
  static const DepIndex index("state_comment_deps", "post", "comment index");
  return index;
}

}  // namespace kiln
