-- purpose: the content model (columns, articles, leadership messages, settings, partners, links, focus items), API keys and the change log
CREATE TABLE categories (
    id              INTEGER PRIMARY KEY,
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
CREATE INDEX categories_parent ON categories(parent_id, sort_order);

CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('author', 'editor', 'admin')),
    key_hash     TEXT    NOT NULL UNIQUE,
    key_prefix   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT
);

CREATE TABLE articles (
    id               INTEGER PRIMARY KEY,
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
CREATE INDEX articles_public ON articles(status, publish_at DESC);
CREATE INDEX articles_by_category ON articles(category_id, is_pinned DESC, publish_at DESC);

-- extra topic columns (专题) an article is also listed in, beside its primary column
CREATE TABLE article_categories (
    article_id  INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE RESTRICT,
    PRIMARY KEY (article_id, category_id)
) WITHOUT ROWID;
CREATE INDEX article_categories_category ON article_categories(category_id);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag        TEXT    NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, tag)
) WITHOUT ROWID;
CREATE INDEX article_tags_tag ON article_tags(tag);

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    url        TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    size       INTEGER,
    mime       TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_article ON attachments(article_id, sort_order);

CREATE TABLE leadership_messages (
    id           INTEGER PRIMARY KEY,
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
-- at most one current message; the API keeps exactly one once any exists
CREATE UNIQUE INDEX leadership_messages_current ON leadership_messages(is_current) WHERE is_current = 1;

CREATE TABLE site_settings (
    id                          INTEGER PRIMARY KEY CHECK (id = 1),
    site_name                   TEXT    NOT NULL,
    site_domain                 TEXT    NOT NULL,
    copyright_holder            TEXT    NOT NULL,
    address                     TEXT    NOT NULL,
    postcode                    TEXT,
    tech_support                TEXT,
    phone                       TEXT,
    email                       TEXT,
    icp_number                  TEXT    NOT NULL,
    icp_url                     TEXT,
    public_security_filing_text TEXT,
    public_security_record_code TEXT,
    site_id_code                TEXT,
    party_gov_label_html        TEXT,
    disclaimer_title            TEXT    NOT NULL,
    disclaimer_html             TEXT    NOT NULL,
    seo_keywords                TEXT,
    seo_description             TEXT,
    version                     INTEGER NOT NULL DEFAULT 1,
    updated_at                  TEXT    NOT NULL
);

CREATE TABLE partners (
    id         INTEGER PRIMARY KEY,
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

CREATE TABLE related_links (
    id                 INTEGER PRIMARY KEY,
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

CREATE TABLE focus_items (
    id         INTEGER PRIMARY KEY,
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

-- every write to content appends here in the same transaction; sync and cache eviction read it
CREATE TABLE changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT    NOT NULL,
    entity_id INTEGER NOT NULL,
    op        TEXT    NOT NULL CHECK (op IN ('upsert', 'delete')),
    at        TEXT    NOT NULL
);
CREATE INDEX changes_entity ON changes(entity, entity_id);
