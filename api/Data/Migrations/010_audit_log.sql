-- The audit log: every staff write and every failed authentication, appended and never changed. Each row carries a
-- SHA-256 over its content and the previous row's hash (a chain: `audit verify` finds the first row that was altered).
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT    NOT NULL,
    key_id         INTEGER,
    key_name       TEXT,
    role           TEXT,
    client_ip      TEXT    NOT NULL,
    action         TEXT    NOT NULL,
    entity         TEXT,
    entity_id      TEXT,
    version_before INTEGER,
    version_after  INTEGER,
    status         INTEGER NOT NULL,
    request_id     TEXT    NOT NULL,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL
);
CREATE INDEX audit_log_key ON audit_log (key_id, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit rows are never changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit rows are never deleted');
END;
