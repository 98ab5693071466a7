// The Mustache templates of a site (templates/*.mustache), read lazily: a
// build that renders nothing reads none of them. A partial {{> name}} is
// templates/name.mustache, resolved by the set itself rather than looked up
// in the page data, so that a partial named like a data key still works,
// every partial actually used is recorded as a dependency, and a missing
// partial is an error instead of silently rendering nothing.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "util/status.h"

namespace kainjow::mustache {
template <typename string_type>
class basic_data;
}

namespace kiln {

class DepRecorder;

class TemplateSet {
 public:
  explicit TemplateSet(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // Renders templates/NAME.mustache with `data`. Records template:NAME and
  // template:P for each partial P used. Errors name the template file;
  // `needed_by` (a URL) is added to the message of a missing template.
  Status Render(const std::string& name, const kainjow::mustache::basic_data<std::string>& data,
                const std::string& needed_by, DepRecorder* deps, std::string* out);

 private:
  // Returns the text of NAME, reading it on first use; nullptr if missing.
  const std::string* Text(const std::string& name, Status* error);

  std::filesystem::path dir_;
  std::map<std::string, std::string> texts_;
};

}  // namespace kiln
