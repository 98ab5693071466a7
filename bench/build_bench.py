#!/usr/bin/env python3
"""Whole-build benchmark of kiln against Hugo, measured in the same run.

Called by bench/build_bench.sh (see there and docs/benchmarks.md). For each
corpus size it generates a blog with ../shared/corpus/gen_corpus.py, turns
it into a kiln site and a Hugo site that share one content/ folder, then
times five scenarios, R runs each, kiln and Hugo interleaved run by run (the
order alternates so that neither always runs on a warmer cache):

  full     kiln `build --full` into an empty site/ ; hugo into an empty public/
           (the old output folder is moved aside first, not deleted: creating
           thousands of files right after deleting thousands measures the
           disk's handling of fresh deletions, not the generator)
  full-rm  the same, with the old output deleted just before (for reference)
  noop     kiln `build`, nothing changed           ; hugo, nothing changed
  comment  one plain-SQL comment on the middle post, then kiln `build`
           (Hugo has no comments: its column is a rebuild with nothing changed)
  body     one edit of the middle post's body      ; hugo after the same edit
  title    one edit of the middle post's title     ; hugo after the same edit

Times are wall-clock around the whole process (start-up, database, writes),
measured here with perf_counter; kiln's own `duration_ms` is kept as well.
Setup (moving the output aside, the SQL insert, the file edit) is not timed.
Peak memory (max RSS) is read from wait4() for every run.

--serve adds the server's figures for each size: POST /api/comments one at a
time, answered after its pages are rebuilt (p50/p99 over --comments posts),
and a plain-SQL comment on a running server until a GET of the post shows it;
then --watch-edits body edits under `kiln serve --watch` and, alone after it,
under `hugo server`, each until a GET of the post shows it.
"""
import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import urllib.error
import urllib.request
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

CORPUS = None  # ../shared/corpus beside the repository; set in main()
SCENARIOS = [
    ("full", "(a) full build, empty output"),
    ("full-rm", "(a') full build, output deleted just before"),
    ("noop", "(b) no-op build"),
    ("comment", "(c) one new comment (plain SQL)"),
    ("body", "(d) one post body edit"),
    ("title", "(e) one post title edit"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def timed(cmd):
    """Wall time, stdout and peak RSS (MB, from wait4) of one run of `cmd`."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        out = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
        secs = time.perf_counter() - t0
        p.stdout.close()
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            raise subprocess.CalledProcessError(p.returncode, cmd, out, err.read())
    return secs, out.decode(), usage.ru_maxrss / 1024.0


def load_avg():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


class Bench:
    def __init__(self, kiln, root, posts, verbose, highlight=False):
        self.kiln, self.posts, self.verbose, self.highlight = kiln, posts, verbose, highlight
        self.site = os.path.join(root, "kiln-%d" % posts)
        self.hugo = os.path.join(root, "hugo-%d" % posts)
        self.content = os.path.join(self.site, "content")
        self.serial = 0
        self.aside = os.path.join(root, "aside-%d" % posts)
        os.makedirs(self.aside, exist_ok=True)

    def log(self, msg):
        if self.verbose:
            print(msg, file=sys.stderr, flush=True)

    # --- setup -------------------------------------------------------------
    def setup(self, main):
        n = self.posts
        t0 = time.perf_counter()
        run([sys.executable, os.path.join(CORPUS, "gen_corpus.py"), "--posts", str(n), "--seed", "1",
             "--out", self.site, "--comments", str(5 * n)])
        for d in ("templates", "static"):
            shutil.copytree(os.path.join(main, d), os.path.join(self.site, d))
        # Ten posts on the home page, as the Hugo layouts show.
        toml = open(os.path.join(main, "kiln.toml")).read()
        toml = re.sub(r"(?m)^posts_per_page = \d+", "posts_per_page = 10", toml)
        # One benchmark client posts every comment: no per-address limit.
        toml = re.sub(r"(?m)^rate_limit_per_minute = \d+", "rate_limit_per_minute = 0", toml)
        # The shared Hugo config does not highlight code (codeFences =
        # false): the same work for kiln unless --highlight asks for it.
        toml = re.sub(r"(?m)^highlight = \w+", "highlight = %s" % ("true" if self.highlight else "false"), toml)
        open(os.path.join(self.site, "kiln.toml"), "w").write(toml)
        # The first build creates kiln.db; import_comments.py needs its schema.
        run([self.kiln, "build", "--json", "--site", self.site])
        run([sys.executable, os.path.join(CORPUS, "import_comments.py"),
             os.path.join(self.site, "comments.sqlite"), os.path.join(self.site, "kiln.db")])
        run([self.kiln, "build", "--json", "--site", self.site])
        # Hugo: the shared config and layouts; content/ is the kiln site's, so
        # every edit below is seen by both.
        os.makedirs(self.hugo)
        shutil.copy(os.path.join(CORPUS, "hugo", "config.toml"), self.hugo)
        shutil.copytree(os.path.join(CORPUS, "hugo", "layouts"), os.path.join(self.hugo, "layouts"))
        run(self.hugo_cmd())
        self.middle = self.middle_post()
        self.log("[%d posts] setup %.1fs, middle post %s" % (n, time.perf_counter() - t0, self.middle))

    def middle_post(self):
        posts_dir = os.path.join(self.content, "posts")
        dated = []
        for name in os.listdir(posts_dir):
            with open(os.path.join(posts_dir, name)) as f:
                m = re.search(r"(?m)^date: (\S+)", f.read(400))
            dated.append((m.group(1), name[:-3]))
        dated.sort(reverse=True)
        return dated[len(dated) // 2][1]

    def hugo_cmd(self):
        return ["hugo", "--quiet", "--source", self.hugo, "--contentDir", self.content]

    def kiln_cmd(self, *extra):
        return [self.kiln, "build", "--json", "--site", self.site, *extra]

    # --- scenario steps (untimed) -------------------------------------------
    def prepare(self, scenario):
        self.serial += 1
        s = self.serial
        path = os.path.join(self.content, "posts", self.middle + ".md")
        if scenario == "comment":
            con = sqlite3.connect(os.path.join(self.site, "kiln.db"))
            with con:
                con.execute("INSERT INTO comments(post, author, body, created_at) VALUES (?, ?, ?, ?)",
                            (self.middle, "Bench", "Comment number %d, *nice* post." % s,
                             "2025-01-01T00:00:%02dZ" % (s % 60)))
            con.close()
        elif scenario == "body":
            with open(path, "a") as f:
                f.write("\nAn extra paragraph, edit number %d.\n" % s)
        elif scenario == "title":
            text = open(path).read()
            text = re.sub(r'(?m)^title: .*$', 'title: "Edited Title Number %d"' % s, text, count=1)
            open(path, "w").write(text)

    def clear_output(self, folder, scenario):
        if scenario == "full-rm":
            shutil.rmtree(folder, ignore_errors=True)
        elif os.path.exists(folder):
            self.serial += 1
            os.rename(folder, os.path.join(self.aside, "%s-%d" % (os.path.basename(folder), self.serial)))

    def kiln_once(self, scenario):
        if scenario.startswith("full"):
            self.clear_output(os.path.join(self.site, "site"), scenario)
            secs, out, rss = timed(self.kiln_cmd("--full"))
        else:
            secs, out, rss = timed(self.kiln_cmd())
        report = json.loads(out)
        return secs, report, rss

    def hugo_once(self, scenario):
        if scenario.startswith("full"):
            self.clear_output(os.path.join(self.hugo, "public"), scenario)
        secs, _, _ = timed(self.hugo_cmd())
        return secs

    def measure(self, scenario, runs):
        kiln_t, hugo_t, rendered, self_ms, paths, pages = [], [], [], [], set(), 0
        rss = 0.0
        for i in range(runs):
            self.prepare(scenario)
            order = ("kiln", "hugo") if i % 2 == 0 else ("hugo", "kiln")
            for who in order:
                if who == "kiln":
                    secs, rep, peak = self.kiln_once(scenario)
                    kiln_t.append(secs)
                    rss = max(rss, peak)
                    paths.add(rep.get("path", "?"))
                    rendered.append(len(rep["rendered"]))
                    self_ms.append(rep["duration_ms"])
                    pages = rep["pages"]
                else:
                    hugo_t.append(self.hugo_once(scenario))
        row = {
            "posts": self.posts, "scenario": scenario, "runs": runs, "pages": pages,
            "kiln_s": statistics.median(kiln_t), "hugo_s": statistics.median(hugo_t),
            "kiln_self_ms": statistics.median(self_ms),
            "rendered": sorted(set(rendered)), "kiln_all": kiln_t, "hugo_all": hugo_t,
            "path": "/".join(sorted(paths)), "rss_mb": rss,
        }
        self.log("[%d posts] %-8s kiln %8.1f ms  hugo %8.1f ms  rendered %s" %
                 (self.posts, scenario, row["kiln_s"] * 1e3, row["hugo_s"] * 1e3, row["rendered"]))
        return row

    def hugo_page_count(self):
        count = 0
        for _, _, files in os.walk(os.path.join(self.hugo, "public")):
            count += sum(1 for f in files if f.endswith((".html", ".xml")))
        return count


# --- kiln serve: comment latency --------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def burst_figures(b, base, clients, comments):
    """`comments` comments POSTed by `clients` concurrent clients, each on a
    post drawn at random: every answer's latency, and whether kiln.db holds
    every comment answered 201 (none lost)."""
    import random
    import threading
    slugs = sorted(n[:-3] for n in os.listdir(os.path.join(b.content, "posts")) if n.endswith(".md"))
    marker = "Burst %d" % os.getpid()
    latencies, failures, lock = [], [], threading.Lock()

    def client(k):
        rng = random.Random(k)
        for i in range(k, comments, clients):
            body = json.dumps({"post": rng.choice(slugs), "author": "Client %d" % k,
                               "body": "%s comment %d" % (marker, i)}).encode()
            req = urllib.request.Request(base + "/api/comments", data=body,
                                         headers={"Content-Type": "application/json"})
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    resp.read()
                    ok = resp.status == 201
            except urllib.error.HTTPError as e:
                ok = e.code == 404  # a draft or future post: refused, never stored
                if not ok:
                    failures.append(e.code)
            with lock:
                latencies.append((time.perf_counter() - t0, ok))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    accepted = sum(1 for _, ok in latencies if ok)
    con = sqlite3.connect(os.path.join(b.site, "kiln.db"))
    stored = con.execute("SELECT count(*) FROM comments WHERE body LIKE ?", (marker + " %",)).fetchone()[0]
    con.close()
    times = [t for t, _ in latencies]
    return {"burst_clients": clients, "burst_n": comments, "burst_p50": percentile(times, 50),
            "burst_p99": percentile(times, 99), "burst_rate": comments / elapsed,
            "burst_accepted": accepted, "burst_stored": stored, "burst_failures": len(failures)}


def serve_figures(b, comments, burst_clients=16, burst_comments=500):
    """POST /api/comments one at a time (answered after the rebuild), then
    plain-SQL comments until a GET of the post shows them. Loopback only."""
    port = free_port()
    server = subprocess.Popen([b.kiln, "serve", "--site", b.site, "--port", str(port), "--host", "127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        base = "http://127.0.0.1:%d" % port
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        api = []
        for i in range(comments):
            body = json.dumps({"post": b.middle, "author": "Bench", "body": "Server comment %d" % i}).encode()
            req = urllib.request.Request(base + "/api/comments", data=body,
                                         headers={"Content-Type": "application/json"})
            t0 = time.perf_counter()
            with urllib.request.urlopen(req, timeout=30) as resp:  # 201, after the rebuild
                resp.read()
                if resp.status != 201:
                    raise RuntimeError("comment answered %d" % resp.status)
            api.append(time.perf_counter() - t0)
        sql = []
        for i in range(max(3, comments // 10)):
            marker = "Plain SQL comment %d %d" % (os.getpid(), i)
            con = sqlite3.connect(os.path.join(b.site, "kiln.db"))
            with con:
                con.execute("INSERT INTO comments(post, author, body, created_at) VALUES (?, 'Bench', ?, ?)",
                            (b.middle, marker, "2025-01-02T00:00:00Z"))
            con.close()
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < 10:
                page = urllib.request.urlopen(base + "/posts/%s/" % b.middle, timeout=5).read().decode()
                if marker in page:
                    break
                time.sleep(0.005)
            sql.append(time.perf_counter() - t0)
        burst = burst_figures(b, base, burst_clients, burst_comments) if burst_comments else {}
        return dict({"posts": b.posts, "api_p50": percentile(api, 50), "api_p99": percentile(api, 99),
                     "api_n": len(api), "sql_median": statistics.median(sql), "sql_max": max(sql),
                     "sql_n": len(sql)}, **burst)
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_serving(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:  # refused, reset or timed out while the first build runs
            time.sleep(0.1)
    raise RuntimeError("no answer from " + url)


def edits_until_shown(b, base, edits, label):
    """`edits` times: a marker paragraph appended to a post's body (past its
    summary, so only its page changes), then GETs of the page every 2 ms
    until it shows the marker. Different posts each time, each visited first
    (Hugo's fast render mode re-renders visited pages)."""
    posts = sorted(n[:-3] for n in os.listdir(os.path.join(b.content, "posts")) if n.endswith(".md"))
    shown = []
    for i in range(edits):
        slug = posts[(len(posts) // 3 + 7 * i) % len(posts)]
        url = base + "/posts/%s/" % slug
        urllib.request.urlopen(url, timeout=10).read()
        marker = "Watched edit %s %d %d" % (label, os.getpid(), i)
        with open(os.path.join(b.content, "posts", slug + ".md"), "a") as f:
            f.write("\n\n%s\n" % marker)
        t0 = time.perf_counter()
        while marker not in urllib.request.urlopen(url, timeout=10).read().decode():
            if time.perf_counter() - t0 > 30:
                raise RuntimeError("%s never showed an edit of %s" % (label, slug))
            time.sleep(0.002)
        shown.append(time.perf_counter() - t0)
        time.sleep(0.8)  # the servers' quiet periods, and any build the edit started, end
    return shown


def watch_figures(b, edits):
    """A post's body edited under `kiln serve --watch`, then under `hugo
    server` (one after the other, each alone on the machine): wall time
    from the write until a GET shows it, and kiln's own build times."""
    row = {"posts": b.posts, "watch_n": edits}
    port = free_port()
    server = subprocess.Popen([b.kiln, "serve", "--watch", "--site", b.site, "--port", str(port),
                               "--host", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_serving("http://127.0.0.1:%d/" % port)
        row["kiln_shown"] = edits_until_shown(b, "http://127.0.0.1:%d" % port, edits, "kiln")
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[1]
    builds = [(float(m.group(1)), m.group(2)) for m in
              re.finditer(r"kiln: built \d+ pages \(1 rendered[^)]*\) in ([0-9.]+) ms \(([^)]*)\)", log)]
    row["kiln_build_ms"] = [ms for ms, _ in builds]
    row["kiln_paths"] = sorted(set(path for _, path in builds))
    port = free_port()
    server = subprocess.Popen(["hugo", "server", "--source", b.hugo, "--contentDir", b.content, "--port", str(port),
                               "--bind", "127.0.0.1", "--disableLiveReload"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_serving("http://127.0.0.1:%d/" % port)
        row["hugo_shown"] = edits_until_shown(b, "http://127.0.0.1:%d" % port, edits, "hugo")
    finally:
        server.terminate()
        server.wait(timeout=30)
    # The edits stay in content/: later scenarios see them as any edit.
    run([b.kiln, "build", "--json", "--site", b.site])
    return row


def watch_table(rows):
    out = ["| posts | body edit until a GET shows it: `kiln serve --watch` | its builds | `hugo server` (fast render) | kiln / Hugo |",
           "| ---: | --- | --- | --- | ---: |"]
    for r in rows:
        k, h = statistics.median(r["kiln_shown"]), statistics.median(r["hugo_shown"])
        builds = r["kiln_build_ms"]
        out.append("| %d | median %s, max %s (%d edits) | median %s (%s) | median %s, max %s | %.2f |" % (
            r["posts"], fmt_ms(k), fmt_ms(max(r["kiln_shown"])), r["watch_n"],
            fmt_ms(statistics.median(builds) / 1e3) if builds else "–", ", ".join(r["kiln_paths"]) or "?",
            fmt_ms(h), fmt_ms(max(r["hugo_shown"])), k / h))
    return "\n".join(out) + "\n"


def serve_table(rows):
    out = ["| posts | POST /api/comments, one client, after rebuild | plain-SQL comment until a GET shows it |"
           " concurrent clients, after rebuild |",
           "| ---: | --- | --- | --- |"]
    for r in rows:
        burst = "–"
        if "burst_n" in r:
            burst = "%d comments from %d clients: p50 %s, p99 %s, %.0f/s; %d answered 201, %d stored, %d errors" % (
                r["burst_n"], r["burst_clients"], fmt_ms(r["burst_p50"]), fmt_ms(r["burst_p99"]), r["burst_rate"],
                r["burst_accepted"], r["burst_stored"], r["burst_failures"])
        out.append("| %d | p50 %s, p99 %s (%d comments) | median %s, max %s (%d comments) | %s |" % (
            r["posts"], fmt_ms(r["api_p50"]), fmt_ms(r["api_p99"]), r["api_n"],
            fmt_ms(r["sql_median"]), fmt_ms(r["sql_max"]), r["sql_n"], burst))
    return "\n".join(out) + "\n"


def fmt_ms(s):
    return "%.0f ms" % (s * 1e3) if s >= 0.1 else "%.1f ms" % (s * 1e3)


def table(rows, hugo_pages):
    out = ["| posts | scenario | kiln median | hugo median | kiln/hugo | kiln self-reported | rendered by kiln | kiln path | kiln peak RSS |",
           "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |"]
    names = dict(SCENARIOS)
    for r in rows:
        ratio = r["kiln_s"] / r["hugo_s"] if r["hugo_s"] else float("nan")
        hugo_note = " (rebuild, nothing to do with comments)" if r["scenario"] == "comment" else ""
        rendered = "/".join(str(x) for x in r["rendered"])
        out.append("| %d | %s | %s | %s%s | %.3f | %.1f ms | %s of %d | %s | %.0f MB |" % (
            r["posts"], names[r["scenario"]], fmt_ms(r["kiln_s"]), fmt_ms(r["hugo_s"]), hugo_note,
            ratio, r["kiln_self_ms"], rendered, r["pages"], r["path"], r["rss_mb"]))
    out.append("")
    out.append("Pages: kiln " + ", ".join("%d posts -> %d pages" % (n, p) for n, p in hugo_pages["kiln"].items()) +
               "; Hugo " + ", ".join("%d posts -> %d html/xml files" % (n, p) for n, p in hugo_pages["hugo"].items()) + ".")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", default="1000,4000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kiln", required=True)
    ap.add_argument("--main", required=True, help="the repository (templates, static, kiln.toml)")
    ap.add_argument("--results", required=True, help="folder for the dated results file")
    ap.add_argument("--keep", action="store_true", help="keep the generated sites")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--serve", action="store_true", help="also measure kiln serve's comment latency")
    ap.add_argument("--comments", type=int, default=100, help="comments posted per size with --serve")
    ap.add_argument("--burst", type=int, default=500,
                    help="with --serve: comments posted by --clients concurrent clients (0: none)")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--watch-edits", type=int, default=8,
                    help="with --serve: body edits under kiln serve --watch and hugo server (0: none)")
    ap.add_argument("--highlight", action="store_true",
                    help="keep kiln's code highlighting on (the shared Hugo config has it off)")
    args = ap.parse_args()
    global CORPUS
    CORPUS = os.path.join(os.path.dirname(os.path.abspath(args.main)), "shared", "corpus")
    sizes = [int(x) for x in args.posts.split(",") if x]

    started = dt.datetime.now()
    load_before = load_avg()
    # Read before the run: others may commit while it runs.
    try:
        rev = run(["git", "-C", args.main, "rev-parse", "--short", "HEAD"]).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        rev = "?"
    root = tempfile.mkdtemp(prefix="kiln-build-bench-")
    rows, pages, serve_rows, watch_rows = [], {"kiln": {}, "hugo": {}}, [], []
    try:
        for n in sizes:
            b = Bench(args.kiln, root, n, not args.quiet, args.highlight)
            b.setup(args.main)
            for scenario, _ in SCENARIOS:
                row = b.measure(scenario, args.runs)
                rows.append(row)
                pages["kiln"][n] = row["pages"]
            pages["hugo"][n] = b.hugo_page_count()
            if args.serve:
                serve_rows.append(serve_figures(b, args.comments, args.clients, args.burst))
                b.log("[%d posts] serve: %s" % (n, serve_rows[-1]))
                if args.watch_edits:
                    watch_rows.append(watch_figures(b, args.watch_edits))
                    b.log("[%d posts] watch: %s" % (n, watch_rows[-1]))
    finally:
        if args.keep:
            print("sites kept in " + root, file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    elapsed = (dt.datetime.now() - started).total_seconds()

    hugo_version = run(["hugo", "version"]).stdout.strip()
    header = [
        "# kiln vs Hugo, whole builds: %s" % started.strftime("%Y-%m-%d %H:%M"),
        "",
        "- kiln: `%s`, built %s (repository HEAD %s when the run began; the binary may be older or newer)" % (
            os.path.relpath(args.kiln, args.main), dt.datetime.fromtimestamp(os.path.getmtime(args.kiln)).strftime("%Y-%m-%d %H:%M:%S"), rev),
        "- peer: %s" % hugo_version,
        "- code highlighting: kiln %s, Hugo off (shared config: codeFences = false)" % (
            "on (--highlight)" if args.highlight else "off ([markdown] highlight = false)"),
        "- machine: %s, %d cores; load average before %s, after %s" % (
            platform.machine(), os.cpu_count() or 0, load_before, load_avg()),
        "- %d runs per scenario, medians of wall-clock time around the process; "
        "kiln and Hugo interleaved in the same run; total %.0f s" % (args.runs, elapsed),
        "",
        "",
    ]
    text = "\n".join(header) + table(rows, pages) + "\n"
    if serve_rows:
        text += "\n" + serve_table(serve_rows)
    if watch_rows:
        text += "\n" + watch_table(watch_rows)
    print(text)
    os.makedirs(args.results, exist_ok=True)
    name = os.path.join(args.results, "build-%s.md" % started.strftime("%Y-%m-%d-%H%M"))
    with open(name, "w") as f:
        f.write(text)
        f.write("\n<details><summary>raw times (s)</summary>\n\n```\n")
        for r in rows:
            f.write("%d %s kiln %s hugo %s\n" % (r["posts"], r["scenario"],
                                                 " ".join("%.4f" % x for x in r["kiln_all"]),
                                                 " ".join("%.4f" % x for x in r["hugo_all"])))
        f.write("```\n</details>\n")
    print("written to " + name, file=sys.stderr)


if __name__ == "__main__":
    main()
