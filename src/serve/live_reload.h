// Live reload for `kiln serve --watch` (SPEC.md, "The server": "--watch …
// reload open browser tabs"; issue 3, "Preview"). The browser side is a small
// script that opens a Server-Sent Events stream at kLiveReloadPath and reloads
// the page on a "reload" event, or shows the message of a "build-error"
// event over the page while the server keeps serving the last good site.
//
// The script is injected into HTML responses only in watch mode, in memory:
// nothing here writes to site/, so a watched site/ stays byte-identical to
// what `kiln build` writes.
#pragma once

#include <string>
#include <string_view>

namespace kiln {

inline constexpr std::string_view kLiveReloadPath = "/_kiln/live-reload";

// `html` with the reload script inserted before the last "</body>"
// (case-insensitive), or appended when there is none.
std::string InjectReloadScript(std::string_view html);

// One SSE event (https://html.spec.whatwg.org/#server-sent-events): "event:"
// then one "data:" line per line of `data`, then a blank line.
std::string FormatSseEvent(std::string_view event, std::string_view data);

// The events the server sends: the page changed, or the build failed with
// `message` (shown as text, never as HTML).
std::string ReloadEvent();
std::string BuildErrorEvent(std::string_view message);

}  // namespace kiln
