using System.Text;
using System.Text.Json;
using Cms.Api.Data;

namespace Cms.Bench;

/// <summary>
/// The query log for the search bench, drawn from the same dictionary and seed as the corpus: files of search paths
/// (<c>/api/v1/search?q=…</c>, URL-encoded), one per line, every line a different query.
/// mix.txt mixes the kinds of queries a real log has; two.txt and four.txt hold 2- and 4-character words only, to
/// compare the two lengths.
/// </summary>
public static class Queries
{
    public static int Run(string outDir, long corpusSize, int seed = Corpus.DefaultSeed)
    {
        var corpus = Corpus.Load(seed);
        var rng = new Random(seed);
        Directory.CreateDirectory(outDir);

        var seen = new HashSet<string>();
        var mix = new List<string>();
        void Add(string q)
        {
            if (seen.Add(q))
                mix.Add(q);
        }
        Add("投资");
        Add("合作");
        Add("投资 合作");
        // shares of a real site's log, 2,000 in all: 60 % two-character words (投资 and 合作 among them), 20 % of three
        // or four, 8 % two words, 5 % phrases cut from articles, 4 % single characters, 3 % words no article holds
        var words = new Dictionary<(int, int), WordSampler>();
        string Word(int min, int max)
        {
            if (!words.TryGetValue((min, max), out var sampler))
                words[(min, max)] = sampler = corpus.Sampler(i => corpus.IsContent[i] && corpus.Words[i].Length >= min && corpus.Words[i].Length <= max);
            return corpus.Word(sampler.Next(rng));
        }
        Fill(Add, mix, 1201, () => Word(2, 2));
        Fill(Add, mix, 1601, () => Word(3, 4));
        Fill(Add, mix, 1760, () =>
        {
            var first = Word(2, 4);
            string second;
            do
                second = Word(2, 4);
            while (second == first);
            return first + " " + second;
        });
        Fill(Add, mix, 1860, () => corpus.Phrase(rng.NextInt64(Math.Max(corpusSize, 1)), rng));
        Fill(Add, mix, 1940, () => Word(1, 1));
        var absent = Absent(corpus, rng);
        Fill(Add, mix, 2000, () => absent[rng.Next(absent.Count)]);
        Shuffle(mix, rng);

        Write(Path.Combine(outDir, "mix.txt"), mix);
        Write(Path.Combine(outDir, "two.txt"), Distinct(500, () => Word(2, 2)));
        Write(Path.Combine(outDir, "four.txt"), Distinct(500, () => Word(4, 4)));
        Console.WriteLine($"wrote {mix.Count} queries to mix.txt, 500 to two.txt and 500 to four.txt in {outDir}");
        return 0;
    }

    /// <summary>COUNT create bodies for the staff API, composed as the corpus's articles FIRST, FIRST+1, …</summary>
    public static int Articles(string outDir, long first, int count, int seed = Corpus.DefaultSeed)
    {
        var corpus = Corpus.Load(seed);
        Directory.CreateDirectory(outDir);
        for (var i = 0; i < count; i++)
        {
            var a = corpus.Compose(first + i);
            var json = JsonSerializer.Serialize(new
            {
                categoryId = 2,
                title = a.Title,
                summary = a.Summary,
                bodyHtml = a.BodyHtml,
                source = a.Source,
                articleType = a.ArticleType,
                tags = new[] { a.Tag },
            });
            File.WriteAllText(Path.Combine(outDir, $"article-{i + 1}.json"), json);
        }
        Console.WriteLine($"wrote {count} article bodies to {outDir}");
        return 0;
    }

    /// <summary>
    /// Words no article holds: pairs of Chinese characters that neither the dictionary's words nor the demo content
    /// use, and made-up Latin words.
    /// </summary>
    private static List<string> Absent(Corpus corpus, Random rng)
    {
        using var demo = new StreamReader(typeof(Db).Assembly.GetManifestResourceStream("Cms.DemoContent.json")!);
        var known = demo.ReadToEnd();
        var used = new HashSet<char>(known);
        foreach (var w in corpus.Words)
            used.UnionWith(w);
        var unused = Enumerable.Range(0x4e00, 0x9fa5 - 0x4e00 + 1).Select(c => (char)c).Where(c => !used.Contains(c)).ToArray();
        var words = new List<string>();
        for (var i = 0; i < 100; i++)
            words.Add($"{unused[rng.Next(unused.Length)]}{unused[rng.Next(unused.Length)]}");
        const string consonants = "bcdfghjklmnprstvwxz";
        const string vowels = "aeiou";
        while (words.Count < 200)
        {
            var w = new StringBuilder();
            for (var k = rng.Next(3, 5); k > 0; k--)
                w.Append(consonants[rng.Next(consonants.Length)]).Append(vowels[rng.Next(vowels.Length)]);
            if (!known.Contains(w.ToString(), StringComparison.OrdinalIgnoreCase))
                words.Add(w.ToString());
        }
        return words;
    }

    private static void Fill(Action<string> add, List<string> list, int until, Func<string> next)
    {
        while (list.Count < until)
            add(next());
    }

    private static List<string> Distinct(int count, Func<string> next)
    {
        var seen = new HashSet<string>();
        var list = new List<string>();
        while (list.Count < count)
        {
            var q = next();
            if (seen.Add(q))
                list.Add(q);
        }
        return list;
    }

    private static void Shuffle(List<string> list, Random rng)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static void Write(string path, IEnumerable<string> queries) =>
        File.WriteAllLines(path, queries.Select(q => "/api/v1/search?q=" + Uri.EscapeDataString(q)));
}
