// A real site in a real temporary folder, built in-process with a fake
// clock: the fixture the invariant tests (SPEC.md, "Incremental builds")
// run against. Uses the repository's own theme, so the pages under test are
// the pages users get.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/build.h"
#include "util/clock.h"

namespace kiln::testing {

class TempSite {
 public:
  // Creates a site with the repository's templates/ and static/, and a
  // kiln.toml with `posts_per_page` and `feed_size`.
  explicit TempSite(int posts_per_page = 3, int feed_size = 4);
  ~TempSite();
  TempSite(const TempSite&) = delete;
  TempSite& operator=(const TempSite&) = delete;

  const std::filesystem::path& root() const { return root_; }
  FakeClock& clock() { return clock_; }

  void WriteFile(const std::string& rel, const std::string& bytes);
  std::string ReadFile(const std::string& rel) const;
  void RemoveFile(const std::string& rel);
  bool Exists(const std::string& rel) const;

  // content/posts/FILE.md with the given front matter fields and body.
  void WritePost(const std::string& file, const std::string& title, const std::string& date,
                 const std::vector<std::string>& tags = {}, const std::string& body = "Body.\n",
                 const std::string& extra_front_matter = "");
  void WriteConfig(int posts_per_page, int feed_size, const std::string& title = "Test blog");

  // Posts p1..pN dated 2026-01-01.., tagged "odd" or "even" by number: the
  // small site of the no-op and resident-engine tests.
  void WriteOddEvenPosts(int n);

  // Moves the mtime of every input file (kiln.toml, content/, templates/,
  // static/) 10 s into the past, so the engine trusts their stats (files
  // written within the last second are "racily clean" and always re-read).
  void AgeInputs();

  // Runs SQL on kiln.db, as another program would.
  void Sql(const std::string& sql);

  // Incremental build (or --full); fails the test on error.
  BuildReport Build(bool full = false);
  Status TryBuild(bool full, BuildReport* report);

  // Every file under site/, path -> bytes.
  std::map<std::string, std::string> SiteFiles() const;

  // A copy of the inputs (content, templates, static, kiln.toml, and the
  // comments of kiln.db) in a fresh folder, built with --full from scratch
  // by the real binary at this site's clock (engine/reference_build.h).
  std::map<std::string, std::string> FullBuildFromScratch();

 private:
  std::filesystem::path root_;
  FakeClock clock_;
};

// Paths that differ between two trees, for readable failures.
std::string DescribeDifferences(const std::map<std::string, std::string>& a,
                                const std::map<std::string, std::string>& b);

}  // namespace kiln::testing
