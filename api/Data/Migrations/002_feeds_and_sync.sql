-- purpose: feed length setting, article slugs in the change log (sync tombstones), a key to sign sync cursors
ALTER TABLE site_settings ADD COLUMN feed_item_count INTEGER NOT NULL DEFAULT 20;
ALTER TABLE changes ADD COLUMN slug TEXT;
UPDATE changes SET slug = (SELECT slug FROM articles WHERE articles.id = changes.entity_id) WHERE entity = 'article';
CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
INSERT INTO secrets (name, value) VALUES ('sync-cursor', randomblob(32));
