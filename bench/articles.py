"""articles.py — reads a JSON Lines corpus the way every baseline sees it: the records with a
title or a body (newsidx skips the others as empty articles), with newsidx's field names."""

import collections
import json

Article = collections.namedtuple("Article", "date title body tags source")


def read_articles(jsonl):
    """Yields an Article for each record of `jsonl` with a title or a body, in file order.
    Lines that are not JSON objects are skipped (newsidx reports and skips them too)."""
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(record, dict):
                continue
            title = record.get("title") or record.get("headline") or ""
            body = record.get("body") or record.get("text") or ""
            if not (title.strip() or body.strip()):
                continue
            tags = record.get("tags") or record.get("topics") or []
            source = record.get("source")
            yield Article(record.get("date") or "", title, body,
                          [str(t) for t in (tags if isinstance(tags, list) else [tags])],
                          source if isinstance(source, str) else None)
