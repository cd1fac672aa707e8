-- purpose: list totals without counting: the number of published articles of each column, kept by triggers, so a list
-- page's total is this number less the few published articles whose time has not come (an index range), instead of a
-- count over every article of the column on every uncached request.
CREATE TABLE column_counts (
    category_id INTEGER PRIMARY KEY,
    published   INTEGER NOT NULL DEFAULT 0
);

INSERT INTO column_counts (category_id, published)
SELECT category_id, count(*) FROM articles WHERE status = 'published' GROUP BY category_id;

CREATE TRIGGER articles_count_insert AFTER INSERT ON articles WHEN new.status = 'published' BEGIN
    INSERT INTO column_counts (category_id, published) VALUES (new.category_id, 1)
    ON CONFLICT (category_id) DO UPDATE SET published = published + 1;
END;

CREATE TRIGGER articles_count_update AFTER UPDATE OF status, category_id ON articles
WHEN (old.status = 'published') <> (new.status = 'published') OR (new.status = 'published' AND old.category_id <> new.category_id) BEGIN
    UPDATE column_counts SET published = published - 1 WHERE category_id = old.category_id AND old.status = 'published';
    INSERT INTO column_counts (category_id, published) SELECT new.category_id, 1 WHERE new.status = 'published'
    ON CONFLICT (category_id) DO UPDATE SET published = published + 1;
END;

CREATE TRIGGER articles_count_delete AFTER DELETE ON articles WHEN old.status = 'published' BEGIN
    UPDATE column_counts SET published = published - 1 WHERE category_id = old.category_id;
END;
