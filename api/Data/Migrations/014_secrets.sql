-- Secrets the site's instances share (they sign what the API hands out, e.g. preview addresses). Made once, here.
CREATE TABLE site_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO site_secrets (name, value) VALUES ('preview', lower(hex(randomblob(32))));
