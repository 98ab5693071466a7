// `kiln serve` (SPEC.md, "The server"; issue 3). The one entry point
// src/main.cc calls; everything else in src/serve/ is wiring behind it.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "util/status.h"

namespace kiln {

struct ServeOptions {
  std::filesystem::path site_root = ".";
  std::optional<std::string> host;  // else [server] host, else 127.0.0.1
  std::optional<int> port;          // else [server] port, else 8080; 0 = any free port
  bool watch = false;
  // Link to the address served on instead of base_url in the bodies served
  // (serve/preview_address.h).
  bool preview = false;
  // Set: the first build shows `kiln build`'s progress line on stderr
  // (output/progress_printer.h) once it has run this long, erased before
  // the server's next line. main.cc sets it only when stderr is a terminal.
  // Later builds (a comment's, an edit's) are short and show none.
  std::optional<std::chrono::milliseconds> first_build_progress;
};

// Builds the site incrementally once, then serves until SIGINT/SIGTERM.
// Prints "kiln: serving http://HOST:PORT/" on stderr once listening (tests
// parse it).
//
// Errors (returned before serving, nothing changed on disk): kiln.toml does
// not load; kiln.db does not open; the port is busy or the host is not an
// address ("cannot listen on HOST:PORT: Address already in use"); --watch
// without inotify. A failed build is not an error: it is printed (and, with
// --watch, shown in the browser) and the last good site/ keeps being served.
//
// On SIGINT or SIGTERM: stops accepting, closes idle connections, finishes
// the requests already read and the build they wait for, then returns Ok
// (exit 0). A second signal exits at once with status 130.
//
// Blocks SIGINT and SIGTERM in the calling thread while it runs; call it
// from the main thread, before starting other threads.
Status RunServer(const ServeOptions& options);

}  // namespace kiln
