#include "store/content_deps.h"

namespace kiln {

const DepIndex& ContentDeps() {
  static const DepIndex index("state_content_deps", "key", "content index");
  return index;
}

}  // namespace kiln
