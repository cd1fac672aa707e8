-- purpose: indexes for the public reads measured by make bench: column lists, the site-wide list, previous/next
CREATE INDEX articles_column_order ON articles(category_id, is_pinned, publish_at, id) WHERE status = 'published';
CREATE INDEX articles_site_order ON articles(is_pinned, publish_at, id) WHERE status = 'published';
CREATE INDEX articles_column_time ON articles(category_id, publish_at, id) WHERE status = 'published';
ANALYZE;
