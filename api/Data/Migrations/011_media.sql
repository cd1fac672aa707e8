-- The media library: uploaded images and attachments. A file is stored under a name made from its content hash, so
-- the same upload is stored once; the name the staff member's computer gave it is kept for display and downloads.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    hash         TEXT    NOT NULL UNIQUE,       -- SHA-256 of the uploaded bytes, 32 hex digits: the storage name
    kind         TEXT    NOT NULL CHECK (kind IN ('image', 'attachment')),
    type         TEXT    NOT NULL,              -- jpeg, png, gif, webp, pdf, doc, docx, xls, xlsx, ppt, pptx, zip, txt
    mime         TEXT    NOT NULL,
    ext          TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    size         INTEGER NOT NULL,              -- bytes as stored (images are stored re-encoded, without metadata)
    width        INTEGER,
    height       INTEGER,
    widths       TEXT    NOT NULL DEFAULT '[]', -- the widths of the resized copies, a JSON array
    alt          TEXT    NOT NULL DEFAULT '',
    caption      TEXT    NOT NULL DEFAULT '',
    created_by   INTEGER REFERENCES api_keys(id) ON DELETE SET NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX media_created ON media (created_at DESC, id DESC);

-- which content uses which media item (kept by every write of that content): a used item cannot be deleted
CREATE TABLE media_refs (
    media_id  INTEGER NOT NULL REFERENCES media(id) ON DELETE RESTRICT,
    entity    TEXT    NOT NULL,
    entity_id INTEGER NOT NULL,
    PRIMARY KEY (media_id, entity, entity_id)
) WITHOUT ROWID;
CREATE INDEX media_refs_owner ON media_refs (entity, entity_id);
