using System.Text;

namespace Cms.Bench;

/// <summary>
/// Chinese text with real word frequencies: words drawn by their frequency in jieba's dictionary (dict.txt: word,
/// frequency, part of speech; copied beside the program from the jieba.NET package), so the corpus and the query log
/// share the long tail of real usage. Every article is a function of its ordinal and the seed alone, so the corpus can
/// be streamed, and the query log can cut phrases out of articles without reading the database.
/// </summary>
public sealed class Corpus
{
    public const int DefaultSeed = 20210521;

    // the agency's most likely queries: raised among the hundred most frequent words, so most articles hold them
    private static readonly Dictionary<string, long> HotWords = new() { ["投资"] = 60_000, ["合作"] = 60_000 };

    private static readonly string[] Sources = ["商务部投资促进事务局", "新华社", "人民日报", "中国日报", "经济日报", "商务部网站"];
    private static readonly string[] Types = ["original", "original", "original", "reprint", "translation", "excerpt"];
    private static readonly string[] Tags = ["中博会", "产城中国", "市长论坛", "投资促进", "数字经济", "文旅", "对外投资", "营商环境"];

    private readonly string[] _words;
    private readonly long[] _freq;
    private readonly WordSampler _all;
    private readonly WordSampler _content;

    public int Seed { get; }

    private Corpus(string[] words, long[] freq, bool[] isContent, int seed)
    {
        _words = words;
        _freq = freq;
        IsContent = isContent;
        Seed = seed;
        _all = new WordSampler(Enumerable.Range(0, words.Length).ToArray(), freq);
        _content = Sampler(i => isContent[i]);
    }

    public IReadOnlyList<string> Words => _words;
    /// <summary>Nouns, verbs, adjectives, idioms and set phrases: what titles are made of and what people search for.</summary>
    public bool[] IsContent { get; }

    public static string DictionaryPath => Path.Combine(AppContext.BaseDirectory, "jieba-dict.txt");

    /// <summary>Words of one to eight Chinese characters (no Latin, digits or symbols), with their frequencies.</summary>
    public static Corpus Load(int seed = DefaultSeed)
    {
        var words = new List<string>();
        var freq = new List<long>();
        var content = new List<bool>();
        foreach (var line in File.ReadLines(DictionaryPath))
        {
            var parts = line.Split(' ');
            if (parts.Length < 2 || parts[0].Length is 0 or > 8 || !parts[0].All(IsHan) || !long.TryParse(parts[1], out var f) || f <= 0)
                continue;
            words.Add(parts[0]);
            freq.Add(HotWords.TryGetValue(parts[0], out var hot) ? Math.Max(hot, f) : f);
            var pos = parts.Length > 2 ? parts[2] : "";
            content.Add(pos.Length > 0 && (pos[0] is 'n' or 'v' or 'a' || pos is "i" or "l" or "j"));
        }
        return new Corpus([.. words], [.. freq], [.. content], seed);
    }

    public static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff';

    /// <summary>A sampler over the words the filter keeps, each drawn in proportion to its frequency.</summary>
    public WordSampler Sampler(Func<int, bool> keep)
    {
        var idx = Enumerable.Range(0, _words.Length).Where(keep).ToArray();
        return new WordSampler(idx, _freq);
    }

    public string Word(int index) => _words[index];

    /// <summary>The random source of one article: the same ordinal and seed give the same article on any run.</summary>
    public Random RandomFor(long ordinal) => new(unchecked((int)(((ulong)Seed * 0x9E3779B97F4A7C15UL + (ulong)ordinal * 0xBF58476D1CE4E5B9UL) >> 33)));

    public GeneratedArticle Compose(long ordinal)
    {
        var rng = RandomFor(ordinal);
        var paragraphs = new List<string>();
        // body length: log-normal around 1,600 characters (most between 800 and 3,000), kept within 300–5,000
        var target = (int)Math.Clamp(Math.Exp(Math.Log(1600) + 0.45 * Gaussian(rng)), 300, 5000);
        var length = 0;
        var full = false;
        while (length < target && !full)
        {
            var p = new StringBuilder();
            for (var k = rng.Next(2, 7); k > 0 && length + p.Length < target; k--)
            {
                var s = Sentence(rng);
                if (length + p.Length + s.Length > 5000)
                {
                    full = true;
                    break;
                }
                p.Append(s);
            }
            if (p.Length == 0)
                break;
            length += p.Length;
            paragraphs.Add(p.ToString());
        }
        var summary = Sentence(rng);
        if (summary.Length < 40)
            summary += Sentence(rng);
        return new GeneratedArticle(
            Title(rng), summary, paragraphs,
            Sources[rng.Next(Sources.Length)], Types[rng.Next(Types.Length)], Tags[rng.Next(Tags.Length)],
            rng.NextDouble());
    }

    /// <summary>10–30 characters of content words, most near 20; one title in five has a comma between two halves.</summary>
    private string Title(Random rng)
    {
        var target = 10 + rng.Next(0, 11) + rng.Next(0, 11);
        var comma = rng.Next(5) == 0 ? target / 2 : -1;
        var t = new StringBuilder();
        for (var tries = 0; t.Length < target && tries < 50; tries++)
        {
            var w = _words[_content.Next(rng)];
            if (t.Length + w.Length > 30)
                continue;
            t.Append(w);
            if (comma > 0 && t.Length >= comma && t.Length < target - 2)
            {
                t.Append(',');
                comma = -1;
            }
        }
        return t.ToString();
    }

    /// <summary>One to four clauses of words drawn by frequency, joined by Chinese punctuation.</summary>
    public string Sentence(Random rng)
    {
        var s = new StringBuilder();
        for (var clauses = 1 + rng.Next(3) + (rng.Next(4) == 0 ? 1 : 0); clauses > 0; clauses--)
        {
            var quoted = rng.Next(20) == 0 ? rng.Next(2, 6) : -1;
            for (var n = rng.Next(3, 13); n > 0; n--)
            {
                if (n == quoted)
                    s.Append('“').Append(_words[_content.Next(rng)]).Append('”');
                else
                    s.Append(_words[_all.Next(rng)]);
            }
            if (clauses > 1)
                s.Append(rng.Next(100) switch { < 72 => ',', < 84 => '、', < 94 => ';', _ => ':' });
        }
        return s.Append(rng.Next(100) switch { < 88 => '。', < 95 => '?', _ => '!' }).ToString();
    }

    /// <summary>A run of 5–8 characters without punctuation, cut from the body of a generated article.</summary>
    public string Phrase(long ordinal, Random rng)
    {
        var text = string.Concat(Compose(ordinal).Paragraphs);
        for (var tries = 0; tries < 1000; tries++)
        {
            var at = rng.Next(text.Length);
            var start = at;
            while (start > 0 && IsHan(text[start - 1]))
                start--;
            var end = at;
            while (end < text.Length && IsHan(text[end]))
                end++;
            var length = Math.Min(end - start, rng.Next(5, 9));
            if (length >= 5)
                return text.Substring(start + rng.Next(end - start - length + 1), length);
        }
        return Phrase(ordinal + 1, rng);
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}

public sealed record GeneratedArticle(
    string Title, string Summary, IReadOnlyList<string> Paragraphs, string Source, string ArticleType, string Tag, double Age)
{
    public string BodyHtml => string.Concat(Paragraphs.Select(p => "<p>" + p + "</p>"));
}

/// <summary>Draws word indexes in proportion to their frequency in O(1) (Vose's alias method).</summary>
public sealed class WordSampler
{
    private readonly int[] _index;
    private readonly double[] _prob;
    private readonly int[] _alias;

    public WordSampler(int[] index, long[] freq)
    {
        _index = index;
        var n = index.Length;
        _prob = new double[n];
        _alias = new int[n];
        var total = index.Sum(i => (double)freq[i]);
        var scaled = index.Select(i => freq[i] * n / total).ToArray();
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var i = 0; i < n; i++)
            (scaled[i] < 1 ? small : large).Push(i);
        while (small.Count > 0 && large.Count > 0)
        {
            var s = small.Pop();
            var l = large.Pop();
            _prob[s] = scaled[s];
            _alias[s] = l;
            scaled[l] += scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }
        foreach (var i in large.Concat(small))
            _prob[i] = 1;
    }

    public int Count => _index.Length;

    public int Next(Random rng)
    {
        var i = rng.Next(_index.Length);
        return _index[rng.NextDouble() < _prob[i] ? i : _alias[i]];
    }
}
