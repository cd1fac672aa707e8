-- purpose: the article body as the last column of its row. SQLite stores a row's columns in order and a long body spills
-- onto overflow pages, so every column after it (source, type, cover, status, publish time, ...) cost a walk through the
-- body's pages: lists, search hits and neighbour links read those columns for rows whose bodies they never show.
-- requires: foreign_keys off
CREATE TABLE articles_new (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    slug             TEXT    NOT NULL UNIQUE,
    legacy_id        TEXT    UNIQUE,
    category_id      INTEGER NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,
    title            TEXT    NOT NULL,
    subtitle         TEXT,
    summary          TEXT,
    source           TEXT,
    article_type     TEXT    NOT NULL CHECK (article_type IN ('original', 'reprint', 'translation', 'excerpt')),
    content_category TEXT,
    author           TEXT,
    original_url     TEXT,
    cover_image_url  TEXT,
    cover_image_alt  TEXT,
    is_focus         INTEGER NOT NULL DEFAULT 0,
    is_pinned        INTEGER NOT NULL DEFAULT 0,
    validity         TEXT CHECK (validity IN ('valid', 'amended', 'repealed', 'expired')),
    validity_note    TEXT,
    status           TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'offline')),
    publish_at       TEXT,
    created_by       INTEGER REFERENCES api_keys(id) ON DELETE SET NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    body_html        TEXT    NOT NULL
);
INSERT INTO articles_new (id, slug, legacy_id, category_id, title, subtitle, summary, source, article_type, content_category, author, original_url, cover_image_url, cover_image_alt, is_focus, is_pinned, validity, validity_note, status, publish_at, created_by, version, created_at, updated_at, body_html)
SELECT id, slug, legacy_id, category_id, title, subtitle, summary, source, article_type, content_category, author, original_url, cover_image_url, cover_image_alt, is_focus, is_pinned, validity, validity_note, status, publish_at, created_by, version, created_at, updated_at, body_html FROM articles;
-- ids are never reused: the new table continues the old sequence
INSERT INTO sqlite_sequence (name, seq) SELECT 'articles_new', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'articles_new');
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'articles'), 0)) WHERE name = 'articles_new';
-- the table's triggers (the search index's) go with it; the next migration makes the new index and its triggers
DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;
CREATE INDEX articles_public ON articles(status, publish_at DESC);
CREATE INDEX articles_by_category ON articles(category_id, is_pinned DESC, publish_at DESC);
CREATE INDEX articles_column_order ON articles(category_id, is_pinned, publish_at, id) WHERE status = 'published';
CREATE INDEX articles_site_order ON articles(is_pinned, publish_at, id) WHERE status = 'published';
CREATE INDEX articles_column_time ON articles(category_id, publish_at, id) WHERE status = 'published';
