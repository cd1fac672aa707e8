"""Parses a feed file with feedparser (Debian's python3-feedparser) and prints what the tests check, as JSON."""
import json
import sys

import feedparser

d = feedparser.parse(sys.argv[1])
print(json.dumps({
    "bozo": int(d.bozo),
    "bozo_exception": str(d.get("bozo_exception", "")),
    "version": d.version,
    "title": d.feed.get("title"),
    "entries": [
        {
            "id": e.get("id"),
            "title": e.get("title"),
            "link": e.get("link"),
            "published": e.get("published"),
            "content": (e.get("content") or [{}])[0].get("value") or e.get("summary"),
            "summary": e.get("summary"),
            "source": e.get("cms_source"),
            "articleType": e.get("cms_articletype"),
        }
        for e in d.entries
    ],
}, ensure_ascii=False))
