"""http_server.py — the small HTTP server of the fetching tests (tests/e2e/fetch.sh).

Serves the files of --root on 127.0.0.1 only, on a free port that it writes to --port-file,
and logs every request as one JSON line to --log (start and end times, path, the headers
newsidx sends, the status): the tests assert on what newsidx asked, not only on what it stored.

Files get an ETag (a hash of their bytes) and a Last-Modified (their mtime) and answer 304 to
a matching If-None-Match or an If-Modified-Since at or after it. Paths that start with a
word below change how the rest of the path is answered:
  /redirect/N/PATH       N redirects (302) before PATH: to /redirect/N-1/PATH, at 1 to /PATH
  /status/CODE           an empty answer with that status
  /retry/PATH            the first request of PATH: 429 with Retry-After: 1; then PATH
  /slow/S/PATH           PATH after S seconds
  /truncated/PATH        a Content-Length 100 bytes longer than PATH, then the connection closed
  /gzip/PATH             PATH gzip-encoded when the request accepts gzip
  /type/TYPE/SUB/PATH    PATH sent as TYPE/SUB
  /big/N                 N MiB of text, with a Content-Length
  /stream/N              N MiB of text without one (the end is the connection's)
"""
import argparse
import email.utils
import gzip
import hashlib
import http.server
import json
import os
import sys
import threading
import time

TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml", ".xml": "text/xml",
         ".jsonl": "application/x-ndjson", ".txt": "text/plain; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".opml": "text/x-opml"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    retried = set()
    lock = threading.Lock()

    def log_message(self, format, *args):  # the JSON log is the log
        pass

    def log_request_json(self, status, start):
        entry = {"start": start, "end": time.time(), "path": self.path, "status": status,
                 "if_none_match": self.headers.get("If-None-Match"),
                 "if_modified_since": self.headers.get("If-Modified-Since"),
                 "user_agent": self.headers.get("User-Agent"),
                 "accept_encoding": self.headers.get("Accept-Encoding")}
        with self.lock, open(self.server.log, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")

    def send(self, status, body=b"", headers=(), length=None):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if length is not False:
            self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        start = time.time()
        try:
            status = self.answer(self.path.lstrip("/"))
        except (BrokenPipeError, ConnectionResetError):  # newsidx hung up: a cap, a kill
            status = "hung-up"
            self.close_connection = True
        self.log_request_json(status, start)

    def answer(self, path):
        word, _, rest = path.partition("/")
        if word == "redirect":
            n, _, target = rest.partition("/")
            to = "/" + target if int(n) <= 1 else "/redirect/%d/%s" % (int(n) - 1, target)
            self.send(302, headers=[("Location", to)])
            return 302
        if word == "status":
            self.send(int(rest))
            return int(rest)
        if word == "retry":
            with self.lock:
                first = rest not in self.retried
                self.retried.add(rest)
            if first:
                self.send(429, headers=[("Retry-After", "1")])
                return 429
            return self.answer(rest)
        if word == "slow":
            seconds, _, target = rest.partition("/")
            time.sleep(float(seconds))
            return self.answer(target)
        if word == "big" or word == "stream":
            body = b"A line of text that repeats.\n" * (int(rest) * 36157)
            if word == "big":
                self.send(200, body, [("Content-Type", "text/plain")])
            else:
                self.close_connection = True
                self.send(200, body, [("Content-Type", "text/plain"), ("Connection", "close")],
                          length=False)
            return 200
        if word == "type":
            media, sub, target = rest.split("/", 2)
            return self.serve_file(target, content_type=media + "/" + sub)
        if word == "gzip":
            return self.serve_file(rest, gzip_it="gzip" in (self.headers.get("Accept-Encoding") or ""))
        if word == "truncated":
            return self.serve_file(rest, truncate=True)
        return self.serve_file(path)

    def serve_file(self, path, content_type=None, gzip_it=False, truncate=False):
        full = os.path.realpath(os.path.join(self.server.root, path))
        if not full.startswith(self.server.root + os.sep) or not os.path.isfile(full):
            self.send(404, b"not found", [("Content-Type", "text/plain")])
            return 404
        with open(full, "rb") as f:
            body = f.read()
        mtime = int(os.stat(full).st_mtime)
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        last_modified = email.utils.formatdate(mtime, usegmt=True)
        validators = [("ETag", etag), ("Last-Modified", last_modified)]
        if self.headers.get("If-None-Match") == etag:
            self.send(304, headers=validators, length=False)
            return 304
        since = self.headers.get("If-Modified-Since")
        if since and not self.headers.get("If-None-Match"):
            parsed = email.utils.parsedate_to_datetime(since).timestamp()
            if mtime <= parsed:
                self.send(304, headers=validators, length=False)
                return 304
        ext = os.path.splitext(full)[1]
        headers = validators + [("Content-Type", content_type or TYPES.get(ext, "application/octet-stream"))]
        if gzip_it:
            body = gzip.compress(body)
            headers.append(("Content-Encoding", "gzip"))
        if truncate:
            self.close_connection = True
            self.send(200, body, headers + [("Connection", "close")], length=len(body) + 100)
        else:
            self.send(200, body, headers)
        return 200


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.root = os.path.realpath(args.root)
    server.log = args.log
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
