using System.Text;

namespace Cms.Api.Data;

/// <summary>
/// The search index's tokens: overlapping character pairs (bigrams, as Lucene's CJK analyzer and Elasticsearch's
/// cjk_bigram emit) plus each distinct character once, so a query of any length from one character up finds every
/// text that holds it as a substring. A word of two or more characters is the phrase of its pairs; a single character
/// is its own token. The same rules apply to every script: Latin is lower-cased and matched by substring as well.
/// </summary>
/// <remarks>
/// Tokens are written out as space-separated text for FTS5's <c>ascii</c> tokenizer, which keeps every non-ASCII
/// character inside a token and splits on ASCII punctuation and spaces. ASCII punctuation is therefore moved to the
/// private-use area (U+E000 + its code) in texts and queries alike, so "40%" and "c#" stay searchable. White space
/// separates runs; a pair never spans two runs or two fields, and a break token (never produced by a query) keeps
/// a phrase from matching across them.
/// </remarks>
public static class SearchTokens
{
    private const string Break = "\uE0FF\uE0FF\uE0FF";

    /// <summary>The token text of one or more fields of an article, each field kept apart from the next.</summary>
    public static string Of(params string?[] fields)
    {
        var sb = new StringBuilder();
        var singles = new HashSet<int>();
        foreach (var field in fields)
        {
            if (string.IsNullOrEmpty(field))
                continue;
            foreach (var run in Runs(field))
            {
                for (var i = 0; i < run.Count; i++)
                {
                    singles.Add(run[i]);
                    if (i + 1 < run.Count)
                        Append(sb, run[i]).Append(Char(run[i + 1])).Append(' ');
                }
                sb.Append(Break).Append(' ');
            }
        }
        foreach (var c in singles)
            Append(sb, c).Append(' ');
        return sb.ToString();
    }

    /// <summary>
    /// The FTS5 query for the words of a search (all must match), each word a quoted phrase of its pairs (or its
    /// single character), so no user text is ever FTS syntax. Null when no word has a searchable character.
    /// </summary>
    public static string? Query(IEnumerable<string> words)
    {
        var phrases = new List<string>();
        foreach (var word in words)
        {
            foreach (var run in Runs(word))
            {
                var sb = new StringBuilder("\"");
                if (run.Count == 1)
                    Append(sb, run[0]);
                for (var i = 0; i + 1 < run.Count; i++)
                    Append(sb.Append(i == 0 ? "" : " "), run[i]).Append(Char(run[i + 1]));
                phrases.Add(sb.Append('"').ToString());
            }
        }
        return phrases.Count == 0 ? null : string.Join(' ', phrases.Distinct(StringComparer.Ordinal));
    }

    /// <summary>
    /// PostgreSQL's form of the index (search_docs there): the distinct tokens of the fields, as a set for a text[]
    /// column with a GIN index. The same pairs and single characters as <see cref="Of"/>.
    /// </summary>
    public static string[] Set(params string?[] fields)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (string.IsNullOrEmpty(field))
                continue;
            foreach (var run in Runs(field))
            {
                for (var i = 0; i < run.Count; i++)
                {
                    set.Add(Char(run[i]));
                    if (i + 1 < run.Count)
                        set.Add(Char(run[i]) + Char(run[i + 1]));
                }
            }
        }
        return [.. set.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The fields as PostgreSQL's search checks them: runs lower-cased and mapped as for tokens, runs separated by a
    /// space and fields by a line break, so a query run (which holds neither) is a substring of it exactly when it is
    /// a substring of one run of one field, the same rule as the SQLite index's phrases.
    /// </summary>
    public static string Normalized(params string?[] fields) =>
        string.Join('\n', fields.Select(f => string.IsNullOrEmpty(f) ? "" : string.Join(' ', Runs(f).Select(r => string.Concat(r.Select(Char))))));

    /// <summary>The runs of a search's words as <see cref="Normalized"/> writes them: each must be found.</summary>
    public static List<string> QueryRuns(IEnumerable<string> words) =>
        words.SelectMany(Runs).Select(r => string.Concat(r.Select(Char))).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The tokens every hit of the runs must hold: a run's pairs, or its one character.</summary>
    public static string[] QueryTokens(IEnumerable<string> runs) =>
        [.. runs.SelectMany(r => Set(r).Where(t => r.EnumerateRunes().Count() == 1 || t.EnumerateRunes().Count() == 2)).Distinct(StringComparer.Ordinal)];

    /// <summary>Runs of non-space characters as code points, lower-cased, ASCII punctuation moved to the private-use area.</summary>
    private static List<List<int>> Runs(string text)
    {
        var runs = new List<List<int>>();
        List<int>? run = null;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune))
            {
                run = null;
                continue;
            }
            var c = Rune.ToLowerInvariant(rune).Value;
            if (c is > 0x20 and < 0x7F && !char.IsAsciiLetterOrDigit((char)c))
                c = 0xE000 + c;
            if (run is null)
                runs.Add(run = []);
            run.Add(c);
        }
        return runs;
    }

    private static string Char(int codePoint) => char.ConvertFromUtf32(codePoint);

    private static StringBuilder Append(StringBuilder sb, int codePoint) => sb.Append(Char(codePoint));

    /// <summary>Row ids per second of publish time (migration 007 assigns them: the second × 64 plus a free slot).</summary>
    private const long SlotsPerSecond = 64;

    /// <summary>The first and last row id of articles published in [from, to).</summary>
    public static (long Low, long High) DocIdRange(DateTimeOffset? from, DateTimeOffset? toExclusive) =>
        (from is { } f ? f.ToUnixTimeSeconds() * SlotsPerSecond : long.MinValue,
         toExclusive is { } t ? t.ToUnixTimeSeconds() * SlotsPerSecond - 1 : long.MaxValue);

    /// <summary>The last row id of articles published by <paramref name="at"/> (its whole second).</summary>
    public static long LastDocIdAt(DateTimeOffset at) => (at.ToUnixTimeSeconds() + 1) * SlotsPerSecond - 1;
}
