using Cms.Bench;

// dotnet bench/bin/Release/net10.0/Cms.Bench.dll COMMAND …   (bench/run.sh runs them all)
return args switch
{
    ["generate", var path, var n] when int.TryParse(n, out var count) && count > 0 => Generate.Run(path, count),
    ["queries", var dir, var n] when long.TryParse(n, out var corpusSize) => Queries.Run(dir, corpusSize),
    ["articles", var dir, var first, var n] when long.TryParse(first, out var from) && int.TryParse(n, out var count) => Queries.Articles(dir, from, count),
    ["lucene", var db, var dir, var p] when int.TryParse(p, out var port) => LuceneAnchor.Run(db, dir, port),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Cms.Bench generate DB_PATH COUNT          N generated articles (after the demo content) into a new database
               Cms.Bench queries OUT_DIR CORPUS_SIZE     the query log: mix.txt, two.txt, four.txt (search paths, one a line)
               Cms.Bench articles OUT_DIR FIRST COUNT    create bodies for the staff API, composed as articles FIRST, FIRST+1, …
               Cms.Bench lucene DB_PATH INDEX_DIR PORT   index the published articles with Lucene.NET and serve /api/v1/search
        """);
    return 2;
}
