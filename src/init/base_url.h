// `kiln init --base-url URL` (issue 8: "kiln init asks for, or clearly
// marks, the real base_url"): which addresses are accepted, and how the new
// site's kiln.toml gets one.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace kiln {

// The base_url the sample kiln.toml carries, a placeholder to change before
// publishing (`kiln build` warns while base_url is a loopback address).
inline constexpr std::string_view kPlaceholderBaseUrl = "http://127.0.0.1:8080/";

// Checks that `url` is an absolute http(s) URL, "https://blog.example/" or
// one with a path prefix ("https://you.github.io/blog", GitHub project
// pages), and returns it in `*normalized` ending in "/". Refused: another
// scheme, no host, user info, a bad port, a query or fragment, spaces,
// quotes, backslashes, control or non-ASCII bytes (percent-encode them),
// and "." or ".." path segments. The message says what is wrong.
Status NormalizeBaseUrl(std::string_view url, std::string* normalized);

// `toml` (the sample kiln.toml) with its base_url line set to `base_url`
// and the "CHANGE ME" note above it dropped. Invalid when the text has no
// top-level `base_url = "…"` line.
Status WithBaseUrl(std::string_view toml, std::string_view base_url, std::string* out);

}  // namespace kiln
