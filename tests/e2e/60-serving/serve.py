"""serve.py — newsq serve end to end: python3 serve.py MODE DB [REUTERS_DB] (run by serve_*.sh).

Modes:
  api      the JSON API's bytes equal newsq --json's for the same command; headers, routes,
           limits, refused addresses, a clean stop on SIGTERM (LeakSanitizer runs at exit)
  browser  the pages in headless chromium (--dump-dom): the top 10, the timeline's buckets,
           an article's whole body, hostile articles shown as text; a screenshot of the
           search page (SCREENSHOT=path)
  load     50 concurrent clients, 5,000 requests, no error, resident memory flat
  hostile  browser checks over the hostile index (DB holds the articles of hostile.jsonl)
"""
import html.parser
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

MODE, DB = sys.argv[1], sys.argv[2]
REUTERS = sys.argv[3] if len(sys.argv) > 3 else ""
ENV = dict(os.environ, NEWSQ_NOW="2026-04-30")


SERVERS = []  # running servers, killed when a check fails


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    for p in SERVERS:
        p.kill()
    sys.exit(1)


def newsq(*args, db=DB):
    p = subprocess.run(["newsq", "--db", db] + list(args), capture_output=True, env=ENV)
    if p.returncode not in (0, 1):
        fail("newsq %s: exit %d: %s" % (args, p.returncode, p.stderr.decode()))
    return p.stdout


class Server:
    """newsq serve on a free port of 127.0.0.1 (port 0: the kernel picks), stopped by SIGTERM."""

    def __init__(self, db=DB, extra=(), env=None):
        self.p = subprocess.Popen(["newsq", "serve", "--db", db, "--listen", "127.0.0.1:0"]
                                  + list(extra), stdout=subprocess.PIPE, env=env or ENV)
        SERVERS.append(self.p)
        line = self.p.stdout.readline().decode()
        if "http://127.0.0.1:" not in line:
            fail("newsq serve said %r" % line)
        self.url = line.split()[2]

    def get(self, path, method="GET"):
        """(status, headers, body bytes)."""
        req = urllib.request.Request(self.url + path.lstrip("/"), method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        rc = self.p.wait(timeout=60)
        SERVERS.remove(self.p)
        if rc != 0:
            fail("newsq serve exited %d after SIGTERM (23: a leak)" % rc)


def q(s):
    return urllib.parse.quote(s, safe="")


# ---- api -------------------------------------------------------------------------------------

def check_api():
    s = Server()
    cases = [
        ("/api/search?q=" + q("prices OR market"), ["--json", "prices OR market"]),
        ("/api/search?q=" + q("bank*") + "&sort=date&limit=3&offset=1",
         ["--json", "--sort", "date", "--limit", "3", "--offset", "1", "bank*"]),
        ("/api/search?q=" + q("rates") + "&sort=hybrid", ["--json", "--sort", "hybrid", "rates"]),
        ("/api/timeline?q=" + q("prices"), ["timeline", "--json", "prices"]),
        ("/api/timeline?by=week", ["timeline", "--json", "--by", "week"]),
        ("/api/facets?q=" + q("market") + "&top=3", ["facets", "--json", "--top", "3", "market"]),
        ("/api/show?id=3", ["show", "--json", "3"]),
        ("/api/rules", ["rule", "list", "--json"]),
        ("/api/terms?kind=new", ["terms", "new", "--json", "--limit", "20"]),
        ("/api/terms?kind=trending&limit=5", ["terms", "trending", "--json", "--limit", "5"]),
    ]
    for path, args in cases:
        status, headers, body = s.get(path)
        want = newsq(*args)
        if status != 200 or body != want:
            fail("%s: %d, %d bytes, wanted newsq %s's %d bytes:\n%r\n%r"
                 % (path, status, len(body), " ".join(args), len(want), body[:300], want[:300]))
        if path.startswith("/api/search") and not body:
            fail(path + " found nothing: the comparison proves little")
    status, headers, body = s.get("/search?q=prices")
    if headers.get("Content-Security-Policy") != "default-src 'self'":
        fail("no CSP header: %s" % headers)
    # Errors: the command's message, with the right status.
    status, _, body = s.get("/api/search?q=" + q("prices date:garbage"))
    if status != 400 or b"column" not in body:
        fail("a query error is %d %r" % (status, body))
    status, _, body = s.get("/api/show?id=999999")
    if status != 404:
        fail("a missing article is %d" % status)
    # Values are arguments, never options.
    status, _, body = s.get("/api/search?q=" + q("--help"))
    if b"Usage" in body:
        fail("q=--help reached the option parser")
    status, _, body = s.get("/api/search?q=prices&sort=" + q("--db=/etc/passwd"))
    if status != 400:
        fail("a bad sort is %d" % status)
    # Only the routes of the table; nothing from disk.
    for path in ["/../../etc/passwd", "/etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/",
                 "/style.css/../../x", "/web/templates/layout.html"]:
        status, _, body = s.get(path)
        if status != 404 or b"root:" in body:
            fail("%s: %d" % (path, status))
    status, _, _ = s.get("/search?q=x", method="POST")
    if status != 405:
        fail("POST is %d" % status)
    status, _, _ = s.get("/api/search?q=" + "a" * 5000)
    if status != 400:
        fail("a 5000-byte query is %d" % status)
    s.stop()
    # Another address without --allow-remote: refused, before listening.
    p = subprocess.run(["newsq", "serve", "--db", DB, "--listen", "0.0.0.0:0"],
                       capture_output=True, env=ENV, timeout=60)
    if p.returncode != 2 or b"--allow-remote" not in p.stderr:
        fail("--listen 0.0.0.0 without --allow-remote: %d %r" % (p.returncode, p.stderr))
    p = subprocess.Popen(["newsq", "serve", "--db", DB, "--listen", "0.0.0.0:0",
                          "--allow-remote"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=ENV)
    p.stdout.readline()
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    if p.returncode != 0 or b"warning" not in err or b"anyone" not in err:
        fail("--allow-remote: %d %r" % (p.returncode, err))
    print("api: ok")


# ---- browser ---------------------------------------------------------------------------------

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--no-first-run", "--disable-extensions", "--user-data-dir=" + os.environ.get(
                "WORK", "/tmp") + "/chromium"]


def dom(url):
    p = subprocess.run(CHROMIUM + ["--dump-dom", url], capture_output=True, timeout=120)
    if p.returncode != 0 or not p.stdout:
        fail("chromium --dump-dom %s: %d %s" % (url, p.returncode, p.stderr[-500:]))
    return Dom(p.stdout.decode())


class Dom(html.parser.HTMLParser):
    """The elements of the DOM chromium built: tag, attributes, and the text inside each."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []  # [tag, attrs dict, text]
        self.open = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        e = [tag, dict(attrs), ""]
        self.elements.append(e)
        if tag not in ("meta", "link", "input", "br", "img", "hr"):
            self.open.append(e)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for e in self.open:
            e[2] += data

    def find(self, tag, cls=None):
        return [e for e in self.elements
                if e[0] == tag and (cls is None or cls in e[1].get("class", "").split())]


def top10(s, query, db):
    page = dom(s.url + "search?q=" + q(query))
    got = [int(e[1]["data-id"]) for e in page.find("div", "hit")]
    want = [json.loads(line)["id"] for line in newsq("--json", query, db=db).splitlines()]
    if len(want) < 10 or got != want:
        fail("search page for %r shows %s, newsq --json %s" % (query, got, want))
    return page


def check_timeline(s, query, db):
    page = dom(s.url + "timeline?q=" + q(query))
    got = [(e[1]["data-period"], int(e[1]["data-count"]), e[2].strip())
           for e in page.find("rect", "bar")]
    rows = [json.loads(line) for line in newsq("timeline", "--json", query, db=db).splitlines()]
    want = [(r["period"], r["count"], "%s: %d" % (r["period"], r["count"]))
            for r in rows if r.get("start")]
    if not want or got != want:
        fail("timeline of %r: %s, newsq timeline --json %s" % (query, got[:5], want[:5]))


def check_article(s, article_id, db):
    page = dom(s.url + "article?id=%d" % article_id)
    body = json.loads(newsq("show", "--json", str(article_id), db=db))["body"]
    shown = page.find("div", "body")
    if len(shown) != 1 or shown[0][2] != body:
        fail("article %d: page body %r, newsq show %r" % (article_id, shown and shown[0][2][:200],
                                                          body[:200]))


def check_browser():
    s = Server()
    top10(s, "prices OR market OR bank", DB)
    check_timeline(s, "prices OR market", DB)
    check_timeline(s, "", DB)
    check_article(s, 3, DB)
    s.stop()
    if REUTERS:
        s = Server(db=REUTERS)
        page = top10(s, "cocoa", REUTERS)
        facets = [e for e in page.find("a") if "source%3A" in e[1].get("href", "")
                  or "tag%3A" in e[1].get("href", "")]
        if not facets:
            fail("the Reuters search page has no facet links")
        check_timeline(s, "cocoa", REUTERS)
        first = json.loads(newsq("--json", "cocoa", db=REUTERS).splitlines()[0])["id"]
        check_article(s, first, REUTERS)
        shot = os.environ.get("SCREENSHOT")
        if shot:
            p = subprocess.run(CHROMIUM + ["--window-size=1200,900", "--screenshot=" + shot,
                                           s.url + "search?q=cocoa+prices"],
                               capture_output=True, timeout=120)
            if p.returncode != 0 or not open(shot, "rb").read(8).startswith(b"\x89PNG"):
                fail("no screenshot: %s" % p.stderr[-300:])
        s.stop()
    print("browser: ok")


# ---- hostile ---------------------------------------------------------------------------------

# Elements no page of newsq serve draws, so that one in a DOM came from an article.
INJECTED = {"script", "img", "iframe", "object", "embed", "style", "base", "video", "audio",
            "math", "b", "i"}


def no_injection(page, where):
    for tag, attrs, _ in page.elements:
        if tag in INJECTED:
            fail("%s: an element <%s> was injected" % (where, tag))
        for name, value in attrs.items():
            if name.startswith("on"):
                fail("%s: an attribute %s=%r was injected" % (where, name, value))
            if name == "href" and (value or "").strip().lower().startswith(("javascript:", "data:")):
                fail("%s: a link to %r" % (where, value))


def check_hostile():
    s = Server()
    pages = {"search": "search?q=" + q("alert"), "timeline": "timeline?q=alert",
             "monitor": "monitor",
             "query error": "search?q=" + q('<img src=x onerror=alert(1)> date:<script>')}
    for row in newsq("--json", "-n", "50", "alert").splitlines():
        pages["article %d" % json.loads(row)["id"]] = "article?id=%d" % json.loads(row)["id"]
    if len(pages) < 7:
        fail("the hostile index has too few articles: %s" % pages)
    titles = [json.loads(r)["title"] for r in newsq("--json", "-n", "50", "alert").splitlines()]
    for where, path in pages.items():
        page = dom(s.url + path)
        no_injection(page, where)
        if where == "search":
            shown = " ".join(e[2] for e in page.find("div", "title"))
            for t in titles:
                visible = "".join("\ufffd" if (c < " " and c not in "\t\n")
                                  or "\x7f" <= c <= "\x9f" else c for c in t)
                if visible not in shown:
                    fail("title %r is not shown as text: %r" % (t, shown[:500]))
        if where == "query error":
            err = page.find("div", "error")
            if not err or "<img" not in err[0][2]:
                fail("the query error does not show the query as text")
    s.stop()
    print("hostile: ok")


# ---- load ------------------------------------------------------------------------------------

def rss_kb(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def check_load():
    # ASan keeps freed memory in quarantine (256 MB by default), which would look like growth.
    env = dict(ENV, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=16")
    s = Server(env=env)
    paths = ["search?q=prices", "search?q=" + q("market OR bank") + "&sort=date&page=2",
             "timeline?q=prices", "article?id=3", "api/search?q=rates", "api/facets?q=market",
             "monitor", "search?q=" + q("date:broken"), "api/timeline", "nope"]
    expected = {"search?q=" + q("date:broken"): 400, "nope": 404}

    def one(i):
        path = paths[i % len(paths)]
        status, _, body = s.get(path)
        return path, status, len(body)

    def burst(n):
        with ThreadPoolExecutor(max_workers=50) as pool:
            for path, status, n_bytes in pool.map(one, range(n)):
                if status != expected.get(path, 200) or not n_bytes:
                    fail("%s: %d, %d bytes" % (path, status, n_bytes))

    burst(1000)  # warm: caches, pools, the allocator's arenas
    before = rss_kb(s.p.pid)
    burst(4000)
    after = rss_kb(s.p.pid)
    print("load: 5000 requests, 50 clients, RSS %d kB after 1000, %d kB after 5000"
          % (before, after))
    if after > before * 1.25 + 16384:
        fail("RSS grew from %d kB to %d kB over 4000 requests" % (before, after))
    s.stop()
    print("load: ok")


{"api": check_api, "browser": check_browser, "hostile": check_hostile,
 "load": check_load}[MODE]()
