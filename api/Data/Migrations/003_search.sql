-- purpose: Chinese full-text search: an FTS5 trigram index over title, subtitle, summary, body text and source, kept by triggers
-- html_text() is registered by the app on every connection (Data/Db.cs): it turns the sanitized body into plain text.
CREATE VIRTUAL TABLE article_fts USING fts5(title, subtitle, summary, body, source, tokenize = 'trigram');

INSERT INTO article_fts (rowid, title, subtitle, summary, body, source)
SELECT id, title, coalesce(subtitle, ''), coalesce(summary, ''), html_text(body_html), coalesce(source, '') FROM articles;

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_fts (rowid, title, subtitle, summary, body, source)
    VALUES (new.id, new.title, coalesce(new.subtitle, ''), coalesce(new.summary, ''), html_text(new.body_html), coalesce(new.source, ''));
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, subtitle, summary, body_html, source ON articles BEGIN
    DELETE FROM article_fts WHERE rowid = old.id;
    INSERT INTO article_fts (rowid, title, subtitle, summary, body, source)
    VALUES (new.id, new.title, coalesce(new.subtitle, ''), coalesce(new.summary, ''), html_text(new.body_html), coalesce(new.source, ''));
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM article_fts WHERE rowid = old.id;
END;
