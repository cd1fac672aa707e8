-- Tells the planner what checking one row's token array costs. The built-in @> is costed like an integer comparison,
-- but on search_docs.tokens it walks some 2,500 tokens (about 0.1 ms a row), so the planner read the newest rows one by
-- one instead of asking the GIN index for a word in a few articles. Search ANDs this function (always true) with
-- every token check on that column (Features/Search/SearchArticles.cs); its COST is the difference.
CREATE FUNCTION search_tokens_checked(docid bigint) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 10000
    AS $$ BEGIN RETURN true; END $$;
