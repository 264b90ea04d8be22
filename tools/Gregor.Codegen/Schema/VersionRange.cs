namespace Gregor.Codegen.Schema;

/// <summary>
/// An inclusive range of versions as the schemas write them: "3", "0-4", "5+", or "none" (empty).
/// </summary>
public readonly record struct VersionRange(short Lowest, short Highest)
{
    public static readonly VersionRange None = new(1, 0);
    public static readonly VersionRange All = new(0, short.MaxValue);

    public bool IsEmpty => Lowest > Highest;

    public static VersionRange Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim() == "none") return None;
        text = text.Trim();
        if (text.EndsWith('+')) return new(short.Parse(text[..^1]), short.MaxValue);
        int dash = text.IndexOf('-');
        if (dash > 0) return new(short.Parse(text[..dash]), short.Parse(text[(dash + 1)..]));
        short single = short.Parse(text);
        return new(single, single);
    }

    public bool Contains(short version) => version >= Lowest && version <= Highest;

    /// <summary>True when every version of <paramref name="other"/> lies in this range.</summary>
    public bool Covers(VersionRange other) => other.IsEmpty || (Lowest <= other.Lowest && Highest >= other.Highest);

    public VersionRange Intersect(VersionRange other)
    {
        var result = new VersionRange(Math.Max(Lowest, other.Lowest), Math.Min(Highest, other.Highest));
        return result.IsEmpty ? None : result;
    }

    public override string ToString() =>
        IsEmpty ? "none" : Highest == short.MaxValue ? $"{Lowest}+" : Lowest == Highest ? $"{Lowest}" : $"{Lowest}-{Highest}";
}
