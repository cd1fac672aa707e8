"""Bytes per table and index of a SQLite database, read in one sequential pass over the file.

dbstat answers the same question but walks each b-tree page by page, a random read each: over a 35 GB file that is
an hour of disk seeks. This reads the file front to back once instead, notes every b-tree page's children (interior
pages) and the overflow pages its cells imply (their payload sizes say how many, by the file format's rules), then
walks each b-tree from its root in memory. A page counts for a table only if its root reaches it, so overflow or
free pages that merely look like b-tree pages are never counted. Free pages count for nobody, as in dbstat.

Usage: python3 pages.py DB   prints "name bytes[  search index]" per table and index, largest first, then "all",
then a last line "SEARCH_BYTES PUBLISHED_ARTICLES" (the same output as the dbstat query it replaces).
"""
import sqlite3
import sys
from array import array


def varint(buf, i):
    """SQLite's big-endian varint at buf[i]: (value, next index)."""
    v = 0
    for k in range(8):
        b = buf[i + k]
        v = (v << 7) | (b & 0x7F)
        if b < 0x80:
            return v, i + k + 1
    return (v << 8) | buf[i + 8], i + 9


def scan(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    roots = [("sqlite_schema", "sqlite_schema", 1)] + conn.execute(
        "SELECT name, tbl_name, rootpage FROM sqlite_schema WHERE rootpage > 0").fetchall()
    articles = conn.execute(
        "SELECT count(*) FROM articles WHERE status = 'published' AND publish_at IS NOT NULL").fetchone()[0]
    with open(path, "rb") as f:
        header = f.read(100)
    usable = page_size - header[20]
    # local payload limits (the file format's "X", "M" for table leaves and index pages)
    max_table = usable - 35
    max_index = ((usable - 12) * 64 // 255) - 23
    min_local = ((usable - 12) * 32 // 255) - 23

    def overflow_pages(payload, max_local):
        if payload <= max_local:
            return 0
        k = min_local + (payload - min_local) % (usable - 4)
        local = k if k <= max_local else min_local
        return -(-(payload - local) // (usable - 4))

    children = {}            # interior page -> its child pages
    overflow = {}            # b-tree page -> overflow pages its cells hold
    chunk_pages = max(1, (64 << 20) // page_size)
    pgno = 1
    with open(path, "rb", buffering=0) as f:
        while True:
            data = f.read(chunk_pages * page_size)
            if not data:
                break
            for off in range(0, len(data) - page_size + 1, page_size):
                base = off + (100 if pgno == 1 else 0)
                flag = data[base]
                if flag in (2, 5, 10, 13):
                    ncells = (data[base + 3] << 8) | data[base + 4]
                    interior = flag in (2, 5)
                    ptrs = base + (12 if interior else 8)
                    kids = array("I") if interior else None
                    spill = 0
                    ok = ptrs + 2 * ncells <= off + page_size
                    for c in range(ncells if ok else 0):
                        cell = off + ((data[ptrs + 2 * c] << 8) | data[ptrs + 2 * c + 1])
                        if cell + 4 > off + page_size:
                            break
                        if interior:
                            kids.append(int.from_bytes(data[cell:cell + 4], "big"))
                            if flag == 2:
                                payload, _ = varint(data, cell + 4)
                                spill += overflow_pages(payload, max_index)
                        elif flag == 13:
                            payload, _ = varint(data, cell)
                            spill += overflow_pages(payload, max_table)
                        else:
                            payload, _ = varint(data, cell)
                            spill += overflow_pages(payload, max_index)
                    if interior and ok:
                        kids.append(int.from_bytes(data[base + 8:base + 12], "big"))
                        children[pgno] = kids
                    if spill:
                        overflow[pgno] = spill
                pgno += 1

    sizes = []
    for name, table, root in roots:
        pages, stack, seen = 0, [root], set()
        while stack:
            p = stack.pop()
            if p in seen:
                continue
            seen.add(p)
            pages += 1 + overflow.get(p, 0)
            stack.extend(children.get(p, ()))
        sizes.append((name, table, pages * page_size))
    sizes.sort(key=lambda r: -r[2])
    return sizes, articles


def main():
    sizes, articles = scan(sys.argv[1])
    search = 0
    for name, table, size in sizes:
        counted = table.startswith(("article_search", "article_fts", "search_"))
        search += size if counted else 0
        print(f"{name:<44} {size:>14,}{'  search index' if counted else ''}")
    print(f"{'all':<44} {sum(r[2] for r in sizes):>14,}")
    print(search, articles)


if __name__ == "__main__":
    main()
