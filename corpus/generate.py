#!/usr/bin/python3
"""generate.py — a deterministic scale corpus for benchmarks, resampled from a real one.

Reads an input corpus of JSON Lines (default: the Reuters-21578 JSONL of the shared corpora)
into a pool of paragraphs and titles, then writes N new articles, each made of paragraphs drawn
at random from the pool, in date order: dates spread evenly over several years, so that
articles inserted in file order get rowids that follow their dates.

    corpus/generate.py OUT.jsonl                       # 200,000 articles, about 200 MB
    corpus/generate.py --articles 1000000 OUT.jsonl    # a million
    corpus/generate.py --articles 2000 --folder DIR OUT.jsonl   # also seed-format files

The same input, seed and options give byte-identical output (Python's random.Random with a
fixed seed). The output is streamed: memory holds the input pool (about 3x the input text),
never the output. Run with Debian's /usr/bin/python3; the standard library is enough.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time


def default_input():
    corpora = os.environ.get("NEWSIDX_CORPORA")
    if not corpora:
        top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        corpora = os.path.join(os.path.dirname(top), "shared", "corpora")
    return os.path.join(corpora, "reuters21578", "reuters21578.jsonl")


class Pool:
    """What the generator draws from: every non-empty paragraph, every title, the paragraph
    count of every article, and the tag lists (kept with their titles)."""

    def __init__(self):
        self.paragraphs = []
        self.titles = []  # (title, tags, source)
        self.counts = []  # paragraphs per input article

    def load(self, path):
        with open(path, encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as e:
                    print(f"generate.py: {path}:{line_no}: not JSON ({e.msg}); skipped",
                          file=sys.stderr)
                    continue
                title = (record.get("title") or record.get("headline") or "").strip()
                body = record.get("body") or record.get("text") or ""
                paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
                if not paragraphs:
                    continue
                self.paragraphs.extend(paragraphs)
                self.counts.append(len(paragraphs))
                if title:
                    tags = record.get("tags") or record.get("topics") or []
                    source = record.get("source")
                    self.titles.append((title, tags if isinstance(tags, list) else [tags],
                                        source if isinstance(source, str) else None))
        if not self.paragraphs or not self.titles:
            raise SystemExit(f"generate.py: {path}: no article with a title and a body")


def parse_day(text):
    try:
        return datetime.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text}")


def articles(pool, n_articles, seed, start, years):
    """Yields (number, date, title, tags, source, paragraphs) for articles 1..n_articles.

    Article i (from 0) is dated start + (i + u) * span / n with u uniform in [0, 1): strictly
    increasing dates, evenly spread, at random times of day. Its paragraph count is that of a
    random input article plus one (so a one-paragraph wire flash becomes a short story; this
    gives about 1 KB of text per article from Reuters), its paragraphs and its title (with the
    title's tags and source) are drawn independently, with replacement."""
    rng = random.Random(seed)
    span = (start.replace(year=start.year + years) - start).total_seconds()
    step = span / n_articles
    for i in range(n_articles):
        when = start + datetime.timedelta(seconds=int((i + rng.random()) * step))
        title, tags, source = rng.choice(pool.titles)
        n_paragraphs = rng.choice(pool.counts) + 1
        paragraphs = [rng.choice(pool.paragraphs) for _ in range(n_paragraphs)]
        yield i + 1, when, title, tags, source, paragraphs


class Progress:
    """A progress line on a terminal (stderr), nothing when piped."""

    def __init__(self, total):
        self.total = total
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def update(self, done):
        now = time.monotonic()
        if self.tty and now - self.last >= 0.25:
            self.last = now
            print(f"\r{done:,} / {self.total:,} articles", end="", file=sys.stderr)

    def done(self):
        if self.tty:
            print("\r\033[K", end="", file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Writes a deterministic benchmark corpus of N articles resampled from "
        "the paragraphs and titles of an input corpus, in date order.")
    parser.add_argument("out", help="the JSON Lines file to write ('-' for standard output)")
    parser.add_argument("--input", default=None,
                        help="input JSON Lines (default: reuters21578.jsonl of the shared "
                        "corpora, $NEWSIDX_CORPORA or ../shared/corpora)")
    parser.add_argument("--articles", type=int, default=200000,
                        help="how many articles (default 200,000)")
    parser.add_argument("--seed", type=int, default=6, help="random seed (default 6)")
    parser.add_argument("--start", type=parse_day, default=parse_day("1987-01-01"),
                        help="date of the first article (default 1987-01-01)")
    parser.add_argument("--years", type=int, default=10,
                        help="years the dates spread over (default 10)")
    parser.add_argument("--folder", default=None,
                        help="also write each article as a seed-format text file under this "
                        "folder, 1,000 to a subfolder, names in date order")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.years < 1:
        parser.error("--articles and --years must be at least 1")

    pool = Pool()
    pool.load(args.input or default_input())
    width = max(7, len(str(args.articles)))
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    progress = Progress(args.articles)
    n_bytes = 0  # UTF-8 bytes of title + body, the text the indexers see
    started = time.monotonic()
    for number, when, title, tags, source, paragraphs in articles(
            pool, args.articles, args.seed, args.start, args.years):
        body = "\n\n".join(paragraphs)
        record = {"id": f"scale-{number}", "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "title": title, "body": body, "tags": tags}
        if source:
            record["source"] = source
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n_bytes += len(title.encode()) + len(body.encode())
        if args.folder:
            sub = os.path.join(args.folder, f"{(number - 1) // 1000:04d}")
            if (number - 1) % 1000 == 0:
                os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, f"scale-{number:0{width}d}.txt"), "w",
                      encoding="utf-8") as f:
                f.write(f" date {when:%Y-%m-%d} {title}\n\n{body}\n")
        progress.update(number)
    if out is not sys.stdout:
        out.close()
    progress.done()
    print(f"{args.articles:,} articles, {n_bytes / 1e6:.1f} MB of text, from "
          f"{len(pool.paragraphs):,} paragraphs and {len(pool.titles):,} titles, seed "
          f"{args.seed}, in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
