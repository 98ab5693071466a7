// The part of ResidentState that follows from the input files alone — the
// content of every post and page, the plan, the templates and the content
// hashes of templates, static and bundle files — saved by `kiln build` in
// .kiln/site-snapshot after each build, so that a later build whose files are
// provably unchanged (a comment build: QuickCheck compared every input's
// stat with the manifest) loads it in one read instead of rebuilding it
// from the source cache in kiln.db, which was two thirds of a comment
// build's instructions (callgrind, 4,000 posts).
//
// A snapshot holds the key of the manifest it was made with (the hash of
// the manifest's bytes, which hold the digest of every input's stat, every
// output, the published posts and when the next scheduled post comes
// due). It is used
// only when that equals the key of the manifest saved in kiln.db now; a
// missing, stale, cut or damaged file (XXH3 over it) is simply not used.
// It is a cache: nothing is lost with it, and it is written without fsync.
#pragma once

#include <cstdint>
#include <filesystem>

#include "engine/resident_state.h"
#include "store/manifest.h"
#include "util/status.h"

namespace kiln {

// ManifestChecksum(EncodeManifest(manifest)): for the manifest as saved, the
// same as LoadManifest's `stored_hash`, which a build reads without encoding.
uint64_t SiteSnapshotKey(const Manifest& manifest);

// Writes `state`'s content, plan, planned_at, template texts and source
// content hashes to `file` (a temporary file renamed over it).
Status SaveSiteSnapshot(const std::filesystem::path& file, uint64_t key, const ResidentState& state);

// True when `file` holds a snapshot for `key`: fills `state`'s content
// (its config read again from root/kiln.toml, unchanged by the premise),
// index, plan (not plan_by_url: the build makes it if it needs it),
// planned_at, template_texts and the sources of
// templates, static and bundle files (content hashes only; post and page
// metadata live in `content`, and their files' entries are left out).
// False leaves `state` empty.
bool LoadSiteSnapshot(const std::filesystem::path& root, const std::filesystem::path& file, uint64_t key,
                      ResidentState* state);

}  // namespace kiln
