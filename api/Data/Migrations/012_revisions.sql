-- Revisions: every save of an article, leadership message, column or the settings keeps the fields as a PUT takes
-- them (content, JSON), who saved and when, and the version it made. Restoring one is a save of its own.
CREATE TABLE revisions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT    NOT NULL,
    entity_id INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    at        TEXT    NOT NULL,
    key_id    INTEGER,
    key_name  TEXT,
    content   TEXT    NOT NULL
);
CREATE INDEX revisions_entity ON revisions (entity, entity_id, id DESC);
