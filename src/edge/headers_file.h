// The `_headers` file (issue 9): the Cache-Control and cache tags that
// `kiln serve` sends with each file, as rules for the static hosts that read
// one from the root of the published folder (Netlify; Cloudflare Pages reads
// the same format). Written by `kiln build` when `[edge] headers_file` is
// on (docs/deploy.md, "Static hosts: the _headers file").
//
// Format (Netlify's, https://docs.netlify.com/routing/headers/): a URL path
// on a line of its own, then its headers indented by two spaces. One rule
// for every path gives the Cache-Control (kiln sends the same one with every
// file), then one rule per output gives its tags as `Cache-Tag`, the name
// both Netlify (on-demand purge by tag) and Cloudflare read, comma-separated
// as both expect. The tags are edge/cache_tags.h's, the same list the
// server's xkey header carries, so the two can never disagree.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kiln {

// Its path under site/.
constexpr std::string_view kHeadersFile = "_headers";

// The file's bytes. `output_keys` maps every output under site/ to the
// dependency keys its page read (BuildReport::output_keys for the whole
// site); `s_maxage` is [edge] s_maxage. Deterministic: rules in the order of
// the outputs' paths, nothing that depends on time or the machine. Paths
// are those of the published folder's root ("/posts/a/"), whatever
// base_url's path: the host serves the folder at its own root.
std::string HeadersFileOf(const std::map<std::string, std::vector<std::string>>& output_keys, int s_maxage);

}  // namespace kiln
