// Fenced code highlighted by language at build time (SPEC.md, "Layout":
// "fenced code highlighted by language at build time"), with GNU
// Source-highlight's library (Debian's libsource-highlight-dev) and its
// language definitions in /usr/share/source-highlight (lang.map names them:
// cpp, c, python, py, sh, bash, shell, json, js, sql, go, rust, ...).
//
// The output carries CSS classes, never inline styles, so a theme's colours
// live in its stylesheet: each token the language definition names is a
// <span class="hl-ELEMENT"> (hl-keyword, hl-type, hl-string, hl-comment,
// hl-number, hl-preproc, hl-symbol, hl-function, ...), plain text is bare.
// Every byte of the code is HTML-escaped as cmark escapes a code block
// (& < > "), so the result is as safe as the plain block it replaces.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiln {

// Appends the highlighted HTML of `code` (the inside of <code>, newlines
// kept) to `html` and returns true. Returns false, appending nothing, when
// `language` (matched without regard to ASCII case) has no definition, when
// the definitions cannot be read, when the code has a line over 512 bytes
// or is over 64 KB (the library's time grows with the square of a line's
// length, and comments are untrusted), or when the library fails on this
// code (a regular expression too complex for Boost.Regex): the caller then
// keeps the plain escaped block.
//
// Thread-safe, and the same inputs give the same bytes on any thread: a
// copy of the language definitions serves one thread at a time (a pool
// lends them out), and the library's definition parser (flex and bison,
// with global state) runs under one lock. Nothing is loaded before the
// first call, and each copy loads a language the first time it meets it,
// so a build that renders no code block pays nothing. A block highlighted
// before in this process comes from render/highlight_cache.h.
bool HighlightCode(std::string_view language, std::string_view code, std::string* html);

// Every language name HighlightCode knows, sorted. Used for tests.
std::vector<std::string> KnownCodeLanguages();

}  // namespace kiln
