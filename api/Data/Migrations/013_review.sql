-- Review before publishing (审核): a column says how many steps (0 none; 1 终审; 2 初审, 终审; 3 初审, 复审, 终审).
-- An article under review stays a draft in articles.status and has a row in article_reviews with the step it waits
-- for (step = steps + 1: approved, ready to publish). Every submit, approval, rejection, reset and publish is an event.
ALTER TABLE categories ADD COLUMN review_steps INTEGER NOT NULL DEFAULT 0 CHECK (review_steps BETWEEN 0 AND 3);

CREATE TABLE article_reviews (
    article_id   INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    step         INTEGER NOT NULL,
    steps        INTEGER NOT NULL,
    submitted_by INTEGER,
    submitted_at TEXT    NOT NULL
);

CREATE TABLE review_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL,
    action     TEXT    NOT NULL CHECK (action IN ('submit', 'approve', 'reject', 'reset', 'publish')),
    step       INTEGER,
    key_id     INTEGER,
    key_name   TEXT,
    at         TEXT    NOT NULL,
    comment    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX review_events_article ON review_events (article_id, id);
