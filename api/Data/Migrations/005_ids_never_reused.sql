-- purpose: ids are never reused after a delete (feed GUIDs, sync and partners rely on them): every id column becomes AUTOINCREMENT,
-- its sequence starting above every id the change log has seen. SQLite cannot alter a primary key, so each table is rebuilt
-- (https://www.sqlite.org/lang_altertable.html#otheralter); the migrator runs this with foreign keys off and checks them before commit.
-- requires: foreign_keys off

-- categories
CREATE TABLE categories_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id       INTEGER REFERENCES categories(id) ON DELETE RESTRICT,
    code            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('list', 'page', 'link', 'topic', 'topicIndex')),
    external_url    TEXT,
    description     TEXT,
    keywords        TEXT,
    column_type     TEXT,
    page_body_html  TEXT,
    sort_order      INTEGER NOT NULL DEFAULT 0,
    show_in_nav     INTEGER NOT NULL DEFAULT 1,
    show_on_home    INTEGER NOT NULL DEFAULT 0,
    home_item_count INTEGER NOT NULL DEFAULT 6,
    is_hidden       INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
INSERT INTO categories_new (id, parent_id, code, name, kind, external_url, description, keywords, column_type, page_body_html, sort_order, show_in_nav, show_on_home, home_item_count, is_hidden, version, created_at, updated_at)
SELECT id, parent_id, code, name, kind, external_url, description, keywords, column_type, page_body_html, sort_order, show_in_nav, show_on_home, home_item_count, is_hidden, version, created_at, updated_at FROM categories;
DROP TABLE categories;
ALTER TABLE categories_new RENAME TO categories;
CREATE INDEX categories_parent ON categories(parent_id, sort_order);
DELETE FROM sqlite_sequence WHERE name = 'categories';
INSERT INTO sqlite_sequence (name, seq) VALUES ('categories', max(coalesce((SELECT max(id) FROM categories), 0), coalesce((SELECT max(entity_id) FROM changes WHERE entity = 'category'), 0)));

-- api_keys
CREATE TABLE api_keys_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('author', 'editor', 'admin')),
    key_hash     TEXT    NOT NULL UNIQUE,
    key_prefix   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT
);
INSERT INTO api_keys_new (id, name, role, key_hash, key_prefix, created_at, revoked_at)
SELECT id, name, role, key_hash, key_prefix, created_at, revoked_at FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
DELETE FROM sqlite_sequence WHERE name = 'api_keys';
INSERT INTO sqlite_sequence (name, seq) VALUES ('api_keys', coalesce((SELECT max(id) FROM api_keys), 0));

-- articles
DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_delete;
CREATE TABLE articles_new (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    slug             TEXT    NOT NULL UNIQUE,
    legacy_id        TEXT    UNIQUE,
    category_id      INTEGER NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,
    title            TEXT    NOT NULL,
    subtitle         TEXT,
    summary          TEXT,
    body_html        TEXT    NOT NULL,
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
    updated_at       TEXT    NOT NULL
);
INSERT INTO articles_new (id, slug, legacy_id, category_id, title, subtitle, summary, body_html, source, article_type, content_category, author, original_url, cover_image_url, cover_image_alt, is_focus, is_pinned, validity, validity_note, status, publish_at, created_by, version, created_at, updated_at)
SELECT id, slug, legacy_id, category_id, title, subtitle, summary, body_html, source, article_type, content_category, author, original_url, cover_image_url, cover_image_alt, is_focus, is_pinned, validity, validity_note, status, publish_at, created_by, version, created_at, updated_at FROM articles;
DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;
CREATE INDEX articles_public ON articles(status, publish_at DESC);
CREATE INDEX articles_by_category ON articles(category_id, is_pinned DESC, publish_at DESC);
CREATE INDEX articles_column_order ON articles(category_id, is_pinned, publish_at, id) WHERE status = 'published';
CREATE INDEX articles_site_order ON articles(is_pinned, publish_at, id) WHERE status = 'published';
CREATE INDEX articles_column_time ON articles(category_id, publish_at, id) WHERE status = 'published';
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_fts (rowid, title, subtitle, summary, body, source)
    VALUES (new.id, new.title, coalesce(new.subtitle, ''), coalesce(new.summary, ''), html_text(new.body_html), coalesce(new.source, ''));
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, subtitle, summary, body_html, source ON articles BEGIN
    DELETE FROM article_fts WHERE rowid = old.id;
    INSERT INTO article_fts (rowid, title, subtitle, summary, body, source)
    VALUES (new.id, new.title, coalesce(new.subtitle, ''), coalesce(new.summary, ''), html_text(new.body_html), coalesce(new.source, ''));
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_fts WHERE rowid = old.id;
END;
DELETE FROM sqlite_sequence WHERE name = 'articles';
INSERT INTO sqlite_sequence (name, seq) VALUES ('articles', max(coalesce((SELECT max(id) FROM articles), 0), coalesce((SELECT max(entity_id) FROM changes WHERE entity = 'article'), 0)));

-- attachments
CREATE TABLE attachments_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    url        TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    size       INTEGER,
    mime       TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0
);
INSERT INTO attachments_new (id, article_id, url, name, size, mime, sort_order)
SELECT id, article_id, url, name, size, mime, sort_order FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_new RENAME TO attachments;
CREATE INDEX attachments_article ON attachments(article_id, sort_order);
DELETE FROM sqlite_sequence WHERE name = 'attachments';
INSERT INTO sqlite_sequence (name, seq) VALUES ('attachments', coalesce((SELECT max(id) FROM attachments), 0));

-- leadership_messages
CREATE TABLE leadership_messages_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    title        TEXT    NOT NULL,
    leader_name  TEXT    NOT NULL,
    leader_title TEXT    NOT NULL,
    photo_url    TEXT,
    photo_alt    TEXT,
    excerpt      TEXT    NOT NULL,
    body_html    TEXT    NOT NULL,
    publish_at   TEXT    NOT NULL,
    is_current   INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
INSERT INTO leadership_messages_new (id, title, leader_name, leader_title, photo_url, photo_alt, excerpt, body_html, publish_at, is_current, version, created_at, updated_at)
SELECT id, title, leader_name, leader_title, photo_url, photo_alt, excerpt, body_html, publish_at, is_current, version, created_at, updated_at FROM leadership_messages;
DROP TABLE leadership_messages;
ALTER TABLE leadership_messages_new RENAME TO leadership_messages;
CREATE UNIQUE INDEX leadership_messages_current ON leadership_messages(is_current) WHERE is_current = 1;
DELETE FROM sqlite_sequence WHERE name = 'leadership_messages';
INSERT INTO sqlite_sequence (name, seq) VALUES ('leadership_messages', max(coalesce((SELECT max(id) FROM leadership_messages), 0), coalesce((SELECT max(entity_id) FROM changes WHERE entity = 'leadershipMessage'), 0)));

-- partners
CREATE TABLE partners_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL,
    url        TEXT,
    logo_url   TEXT,
    logo_alt   TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    is_enabled INTEGER NOT NULL DEFAULT 1,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
INSERT INTO partners_new (id, name, url, logo_url, logo_alt, sort_order, is_enabled, version, created_at, updated_at)
SELECT id, name, url, logo_url, logo_alt, sort_order, is_enabled, version, created_at, updated_at FROM partners;
DROP TABLE partners;
ALTER TABLE partners_new RENAME TO partners;
DELETE FROM sqlite_sequence WHERE name = 'partners';
INSERT INTO sqlite_sequence (name, seq) VALUES ('partners', max(coalesce((SELECT max(id) FROM partners), 0), coalesce((SELECT max(entity_id) FROM changes WHERE entity = 'partner'), 0)));

-- related_links
CREATE TABLE related_links_new (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    group_name         TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    url                TEXT    NOT NULL,
    sort_order         INTEGER NOT NULL DEFAULT 0,
    is_enabled         INTEGER NOT NULL DEFAULT 1,
    open_in_new_window INTEGER NOT NULL DEFAULT 1,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
INSERT INTO related_links_new (id, group_name, name, url, sort_order, is_enabled, open_in_new_window, version, created_at, updated_at)
SELECT id, group_name, name, url, sort_order, is_enabled, open_in_new_window, version, created_at, updated_at FROM related_links;
DROP TABLE related_links;
ALTER TABLE related_links_new RENAME TO related_links;
DELETE FROM sqlite_sequence WHERE name = 'related_links';
INSERT INTO sqlite_sequence (name, seq) VALUES ('related_links', max(coalesce((SELECT max(id) FROM related_links), 0), coalesce((SELECT max(entity_id) FROM changes WHERE entity = 'link'), 0)));

-- focus_items
CREATE TABLE focus_items_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    title      TEXT    NOT NULL,
    image_url  TEXT    NOT NULL,
    image_alt  TEXT    NOT NULL,
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    link_url   TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    is_enabled INTEGER NOT NULL DEFAULT 1,
    start_at   TEXT,
    end_at     TEXT,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);
INSERT INTO focus_items_new (id, title, image_url, image_alt, article_id, link_url, sort_order, is_enabled, start_at, end_at, version, created_at, updated_at)
SELECT id, title, image_url, image_alt, article_id, link_url, sort_order, is_enabled, start_at, end_at, version, created_at, updated_at FROM focus_items;
DROP TABLE focus_items;
ALTER TABLE focus_items_new RENAME TO focus_items;
DELETE FROM sqlite_sequence WHERE name = 'focus_items';
INSERT INTO sqlite_sequence (name, seq) VALUES ('focus_items', max(coalesce((SELECT max(id) FROM focus_items), 0), coalesce((SELECT max(entity_id) FROM changes WHERE entity = 'focusItem'), 0)));
