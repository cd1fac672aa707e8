-- The key preview addresses are signed with (HMAC-SHA256), made once and shared by every instance, beside the sync
-- cursor's key in secrets.
INSERT OR IGNORE INTO secrets (name, value) VALUES ('preview', randomblob(32));
