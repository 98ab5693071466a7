// The reference the incremental build is compared with (SPEC.md invariant 1,
// "Equal to a full build"): `kiln build --full` from scratch, run by the
// real binary in its own process, in a fresh folder that holds a copy of the
// site's inputs and of its comments and nothing else. Nothing of the
// engine's saved state travels with the copy, so a bug in the state (its
// format, its loading, the source cache) cannot leak into the reference.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace kiln::testing {

// Every file under `dir`, relative path -> bytes.
std::map<std::string, std::string> ReadSiteTree(const std::filesystem::path& dir);

// Copies content/, templates/, static/ and kiln.toml of `site_root` into a
// new temporary folder, makes a new kiln.db there (with the binary) and
// copies the rows of the `comments` table into it by plain SQL, then runs
// `kiln build --full` with KILN_NOW=`now_iso`. On success fills `files` with
// the built site/ and returns ""; else returns what went wrong.
std::string BuildReferenceFromScratch(const std::filesystem::path& site_root, const std::string& now_iso,
                                      std::map<std::string, std::string>* files);

}  // namespace kiln::testing
