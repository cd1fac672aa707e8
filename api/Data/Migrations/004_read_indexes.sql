-- purpose: indexes for the public reads measured by make bench: column lists, the site-wide list, previous/next
-- (no ANALYZE here: statistics of near-empty tables mislead the planner, FTS5's own queries included, as the tables grow)
CREATE INDEX articles_column_order ON articles(category_id, is_pinned, publish_at, id) WHERE status = 'published';
CREATE INDEX articles_site_order ON articles(is_pinned, publish_at, id) WHERE status = 'published';
CREATE INDEX articles_column_time ON articles(category_id, publish_at, id) WHERE status = 'published';
