#include "serve/live_reload.h"

#include <algorithm>
#include <cctype>

namespace kiln {
namespace {

// textContent, not innerHTML: an error message quotes user files.
constexpr std::string_view kScript =
    "<script>/* kiln serve --watch: live reload */(function(){"
    "var s=new EventSource('/_kiln/live-reload'),b=null;"
    "s.addEventListener('reload',function(){location.reload();});"
    "s.addEventListener('build-error',function(e){"
    "if(!b){b=document.createElement('pre');b.id='kiln-build-error';"
    "b.style.cssText='position:fixed;left:0;right:0;bottom:0;max-height:60%;overflow:auto;"
    "margin:0;padding:1em;background:#3b0d0d;color:#fde8e8;font:13px/1.4 monospace;"
    "white-space:pre-wrap;z-index:2147483647';document.body.appendChild(b);}"
    "b.textContent='kiln: build failed\\n\\n'+e.data;});"
    "})();</script>\n";

}  // namespace

std::string InjectReloadScript(std::string_view html) {
  static constexpr std::string_view kClose = "</body>";
  auto it = std::search(html.rbegin(), html.rend(), kClose.rbegin(), kClose.rend(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) == b;
                        });
  size_t at = it == html.rend() ? html.size() : html.rend() - it - kClose.size();
  std::string out;
  out.reserve(html.size() + kScript.size());
  out.append(html.substr(0, at));
  out.append(kScript);
  out.append(html.substr(at));
  return out;
}

std::string FormatSseEvent(std::string_view event, std::string_view data) {
  std::string out = "event: ";
  out.append(event);
  out += '\n';
  size_t start = 0;
  while (true) {
    size_t end = data.find('\n', start);
    std::string_view line = data.substr(start, end == std::string_view::npos ? end : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += "data: ";
    out.append(line);
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out += '\n';
  return out;
}

std::string ReloadEvent() { return FormatSseEvent("reload", "site rebuilt"); }

std::string BuildErrorEvent(std::string_view message) {
  return FormatSseEvent("build-error", message);
}

}  // namespace kiln
