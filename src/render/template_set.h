// The Mustache templates of a site (templates/*.mustache), read lazily: a
// build that renders nothing reads none of them.
//
// A partial {{> name}} is templates/name.mustache. Partials are inlined into
// the template text once, and each template is parsed once and reused for
// every page: kainjow would otherwise parse a page's template and each of
// its partials again on every render, which was a quarter of a full build's
// instructions (callgrind, 500 posts). The price: a page depends on every
// partial its template includes, even one inside a section it does not
// render. A missing partial is an error, never a silent empty string.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "util/status.h"

namespace kainjow::mustache {
template <typename string_type>
class basic_data;
template <typename string_type>
class basic_mustache;
}  // namespace kainjow::mustache

namespace kiln {

class DepRecorder;
class LazyFields;

// Not thread-safe: use one set per rendering thread.
class TemplateSet {
 public:
  explicit TemplateSet(std::filesystem::path dir);
  // Uses `texts` (name -> file contents, for every file in the folder)
  // instead of reading the folder: the build reads each template once and
  // shares the texts between its rendering threads, so that every page of a
  // build sees the same version of a template, the one whose hash it records.
  // `texts` must outlive the set.
  TemplateSet(std::filesystem::path dir, const std::map<std::string, std::string>* texts);
  ~TemplateSet();

  // The same texts, moved to another map object (a std::map moved keeps its
  // nodes, so what was compiled from them stays valid): the resident engine
  // keeps a compiled set between builds while the texts change hands.
  void UseTexts(const std::map<std::string, std::string>* texts) { preloaded_ = texts; }

  // Renders templates/NAME.mustache with `data`. Records template:NAME and
  // template:P for each partial P it includes. Errors name the template
  // file; `needed_by` (a URL) is added to the message of a missing template.
  // Fields of `data` bound in `lazy` are made when first read
  // (render/lazy_fields.h).
  Status Render(const std::string& name, const kainjow::mustache::basic_data<std::string>& data,
                const std::string& needed_by, DepRecorder* deps, std::string* out,
                const LazyFields* lazy = nullptr);

 private:
  struct Compiled {
    std::unique_ptr<kainjow::mustache::basic_mustache<std::string>> tmpl;
    std::set<std::string> partials;
    Status error;  // a template that failed to compile fails every render
  };

  const Compiled& Compile(const std::string& name, const std::string& needed_by);
  Status Expand(const std::string& name, const std::string& included_from, int depth,
                std::set<std::string>* partials, std::string* out);
  Status ExpandText(const std::string& name, const std::string& text, int depth,
                    std::set<std::string>* partials, std::string* out);
  Status Text(const std::string& name, const std::string** text);

  std::filesystem::path dir_;
  const std::map<std::string, std::string>* preloaded_ = nullptr;
  std::map<std::string, std::string> texts_;   // raw file contents, by name
  // Expanded text and the partials it includes, by name: a partial used
  // twice is expanded once, so nesting cannot grow exponentially.
  std::map<std::string, std::pair<std::string, std::set<std::string>>> expanded_;
  std::map<std::string, Compiled> compiled_;
};

}  // namespace kiln
