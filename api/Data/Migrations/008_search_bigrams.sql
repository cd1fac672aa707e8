-- purpose: search without scans at any word length: an FTS5 index of character pairs and single characters (SearchTokens)
-- over public articles only, whose row id orders by publish time, so newest-first pages stop early and a publish-time
-- bound is a row id range. The row id is the publish time in seconds × 64 plus the first free slot of that second (the
-- next free id after a burst of 64), small steps between neighbours keeping the index compact. search_docs maps row ids
-- to articles and keeps each body's plain text for snippets. Replaces the trigram index of 003, which could not index
-- words of one or two characters. search_tokens() and html_text() are registered by the app on every connection (Data/Db.cs).
DROP TRIGGER IF EXISTS articles_fts_insert;   -- gone with the table rebuilt by 007
DROP TRIGGER IF EXISTS articles_fts_update;
DROP TRIGGER IF EXISTS articles_fts_delete;
DROP TABLE article_fts;

CREATE TABLE search_docs (
    docid      INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL UNIQUE,
    body_text  TEXT    NOT NULL
);

-- every searchable field: title, and the rest (subtitle, summary, body, source)
CREATE VIRTUAL TABLE article_search USING fts5(title, rest, content = '', contentless_delete = 1, tokenize = 'ascii');
-- titles alone, small: titles that hold every word rank first, and finding them must not walk a common word's whole list
CREATE VIRTUAL TABLE article_search_title USING fts5(title, content = '', contentless_delete = 1, tokenize = 'ascii');

-- existing articles in (second, id) order, each taking the first id at or after its second's that is above the last one
INSERT INTO search_docs (docid, article_id, body_text)
SELECT i + max(base - i) OVER (ORDER BY base, id ROWS UNBOUNDED PRECEDING), id, coalesce(html_text(body_html), '')
FROM (SELECT id, body_html, unixepoch(publish_at) * 64 AS base, row_number() OVER (ORDER BY unixepoch(publish_at), id) AS i
      FROM articles WHERE status = 'published' AND publish_at IS NOT NULL);

INSERT INTO article_search (rowid, title, rest)
SELECT d.docid, search_tokens(a.title), search_tokens(a.subtitle, a.summary, d.body_text, a.source)
FROM search_docs d JOIN articles a ON a.id = d.article_id;
INSERT INTO article_search_title (rowid, title)
SELECT d.docid, search_tokens(a.title) FROM search_docs d JOIN articles a ON a.id = d.article_id;
-- one segment each: a query visits every segment of an index (see Data/SearchIndexMaintenance.cs)
INSERT INTO article_search (article_search) VALUES ('optimize');
INSERT INTO article_search_title (article_search_title) VALUES ('optimize');

CREATE TRIGGER articles_search_insert AFTER INSERT ON articles WHEN new.status = 'published' AND new.publish_at IS NOT NULL BEGIN
    INSERT INTO search_docs (docid, article_id, body_text) VALUES ((SELECT coalesce(
        (SELECT b WHERE NOT EXISTS (SELECT 1 FROM search_docs WHERE docid = b)),
        (SELECT d.docid + 1 FROM search_docs d WHERE d.docid >= b AND NOT EXISTS (SELECT 1 FROM search_docs e WHERE e.docid = d.docid + 1)
         ORDER BY d.docid LIMIT 1))
     FROM (SELECT unixepoch(new.publish_at) * 64 AS b)), new.id, coalesce(html_text(new.body_html), ''));
    INSERT INTO article_search (rowid, title, rest)
    SELECT docid, search_tokens(new.title), search_tokens(new.subtitle, new.summary, body_text, new.source) FROM search_docs WHERE article_id = new.id;
    INSERT INTO article_search_title (rowid, title) SELECT docid, search_tokens(new.title) FROM search_docs WHERE article_id = new.id;
END;

CREATE TRIGGER articles_search_update AFTER UPDATE OF title, subtitle, summary, body_html, source, status, publish_at ON articles BEGIN
    DELETE FROM article_search WHERE rowid = (SELECT docid FROM search_docs WHERE article_id = old.id);
    DELETE FROM article_search_title WHERE rowid = (SELECT docid FROM search_docs WHERE article_id = old.id);
    DELETE FROM search_docs WHERE article_id = old.id;
    INSERT INTO search_docs (docid, article_id, body_text)
    SELECT (SELECT coalesce(
        (SELECT b WHERE NOT EXISTS (SELECT 1 FROM search_docs WHERE docid = b)),
        (SELECT d.docid + 1 FROM search_docs d WHERE d.docid >= b AND NOT EXISTS (SELECT 1 FROM search_docs e WHERE e.docid = d.docid + 1)
         ORDER BY d.docid LIMIT 1))
     FROM (SELECT unixepoch(new.publish_at) * 64 AS b)), new.id, coalesce(html_text(new.body_html), '')
    WHERE new.status = 'published' AND new.publish_at IS NOT NULL;
    INSERT INTO article_search (rowid, title, rest)
    SELECT docid, search_tokens(new.title), search_tokens(new.subtitle, new.summary, body_text, new.source) FROM search_docs WHERE article_id = new.id;
    INSERT INTO article_search_title (rowid, title) SELECT docid, search_tokens(new.title) FROM search_docs WHERE article_id = new.id;
END;

CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE rowid = (SELECT docid FROM search_docs WHERE article_id = old.id);
    DELETE FROM article_search_title WHERE rowid = (SELECT docid FROM search_docs WHERE article_id = old.id);
    DELETE FROM search_docs WHERE article_id = old.id;
END;
