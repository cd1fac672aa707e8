-- purpose: search without scans at any word length: an FTS5 index of character pairs and single characters (SearchTokens)
-- over public articles only, whose row id orders by publish time (search_docid), so newest-first pages stop early and a
-- publish-time bound is a row id range. search_docs maps row ids to articles and keeps each body's plain text for
-- snippets. Replaces the trigram index of 003, which could not index words of one or two characters.
-- search_tokens(), search_docid() and html_text() are registered by the app on every connection (Data/Db.cs).
DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_delete;
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

INSERT INTO search_docs (docid, article_id, body_text)
SELECT search_docid(publish_at, id), id, coalesce(html_text(body_html), '') FROM articles WHERE status = 'published' AND publish_at IS NOT NULL;

INSERT INTO article_search (rowid, title, rest)
SELECT d.docid, search_tokens(a.title), search_tokens(a.subtitle, a.summary, d.body_text, a.source)
FROM search_docs d JOIN articles a ON a.id = d.article_id;
INSERT INTO article_search_title (rowid, title)
SELECT d.docid, search_tokens(a.title) FROM search_docs d JOIN articles a ON a.id = d.article_id;
-- one segment each: a query visits every segment of an index (see Data/SearchIndexMaintenance.cs)
INSERT INTO article_search (article_search) VALUES ('optimize');
INSERT INTO article_search_title (article_search_title) VALUES ('optimize');

CREATE TRIGGER articles_search_insert AFTER INSERT ON articles WHEN new.status = 'published' AND new.publish_at IS NOT NULL BEGIN
    INSERT INTO search_docs (docid, article_id, body_text) VALUES (search_docid(new.publish_at, new.id), new.id, coalesce(html_text(new.body_html), ''));
    INSERT INTO article_search (rowid, title, rest)
    SELECT docid, search_tokens(new.title), search_tokens(new.subtitle, new.summary, body_text, new.source) FROM search_docs WHERE article_id = new.id;
    INSERT INTO article_search_title (rowid, title) SELECT docid, search_tokens(new.title) FROM search_docs WHERE article_id = new.id;
END;

CREATE TRIGGER articles_search_update AFTER UPDATE OF title, subtitle, summary, body_html, source, status, publish_at ON articles BEGIN
    DELETE FROM article_search WHERE rowid = (SELECT docid FROM search_docs WHERE article_id = old.id);
    DELETE FROM article_search_title WHERE rowid = (SELECT docid FROM search_docs WHERE article_id = old.id);
    DELETE FROM search_docs WHERE article_id = old.id;
    INSERT INTO search_docs (docid, article_id, body_text)
    SELECT search_docid(new.publish_at, new.id), new.id, coalesce(html_text(new.body_html), '')
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
