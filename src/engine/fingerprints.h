// The fingerprint of every dependency key (render/dep_recorder.h), computed
// from metadata, comment records and file hashes: never by rendering. A page
// is dirty when the fingerprint of any key it recorded differs from the one
// stored when it was last rendered.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "load/site_index.h"
#include "load/source_cache.h"
#include "render/page_plan.h"
#include "store/build_state.h"
#include "util/hash.h"

namespace kiln {

class FingerprintCalculator {
 public:
  // All arguments must outlive the calculator. `sources` holds templates and
  // static files (keyed "templates/x.mustache", "static/x").
  FingerprintCalculator(const SiteIndex& index, const std::vector<PageSpec>& plan,
                        const std::map<std::string, CommentRecord>& comments,
                        const SourceCache& sources)
      : index_(index), plan_(plan), comments_(comments), sources_(sources) {}

  // nullopt for a key this version of kiln does not know (the page is then
  // dirty). Memoized: each key is computed once per build.
  std::optional<Fingerprint> Of(const std::string& key);

  // Words for --explain: "comments of post 'a'", "template 'post'".
  static std::string Describe(const std::string& key);

 private:
  std::optional<Fingerprint> Compute(const std::string& kind, const std::string& arg);
  Fingerprint PostFields(const std::string& slug);
  Fingerprint HomeListing(int number);
  Fingerprint FeedListing(const std::vector<const PostMeta*>& posts);
  std::optional<Fingerprint> TagListing(const std::string& arg);
  Fingerprint ConfigField(const std::string& field);

  const SiteIndex& index_;
  const std::vector<PageSpec>& plan_;
  const std::map<std::string, CommentRecord>& comments_;
  const SourceCache& sources_;
  std::unordered_map<std::string, std::optional<Fingerprint>> memo_;
};

// Marks a dependency that does not exist (an unpublished post, a missing
// template), so that its appearance changes the fingerprint.
constexpr Fingerprint kAbsent = 0x6b696c6e00000001ull;

}  // namespace kiln
