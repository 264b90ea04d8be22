namespace Gregor.Cli.Mirror;

/// <summary>Offsets [From, To).</summary>
internal readonly record struct OffsetRange(long From, long To);

/// <summary>
/// A set of offsets kept as sorted, disjoint, non-touching ranges. Offsets may be added in any order: the
/// producer's acknowledgements of one partition can arrive out of order, yet a run of consecutive offsets
/// still ends up as one range, so the set stays a handful of entries.
/// </summary>
internal sealed class OffsetRanges
{
    private readonly List<OffsetRange> _ranges = [];

    /// <summary>How many separate ranges the set holds.</summary>
    public int RangeCount => _ranges.Count;

    public void Add(long offset)
    {
        // Most offsets extend the last range, so look from the end.
        int at = _ranges.Count - 1;
        while (at >= 0 && _ranges[at].From > offset) at--;
        if (at >= 0 && offset < _ranges[at].To) return;
        bool extendsLeft = at >= 0 && _ranges[at].To == offset;
        bool extendsRight = at + 1 < _ranges.Count && _ranges[at + 1].From == offset + 1;
        if (extendsLeft && extendsRight)
        {
            _ranges[at] = new OffsetRange(_ranges[at].From, _ranges[at + 1].To);
            _ranges.RemoveAt(at + 1);
        }
        else if (extendsLeft) _ranges[at] = _ranges[at] with { To = offset + 1 };
        else if (extendsRight) _ranges[at + 1] = _ranges[at + 1] with { From = offset };
        else _ranges.Insert(at + 1, new OffsetRange(offset, offset + 1));
    }

    /// <summary>The offsets in [<paramref name="from"/>, <paramref name="to"/>) not in the set; forgets every offset below <paramref name="to"/>.</summary>
    public List<OffsetRange> TakeMissing(long from, long to)
    {
        var missing = new List<OffsetRange>();
        long next = from;
        int below = 0;
        for (int i = 0; i < _ranges.Count; i++)
        {
            OffsetRange range = _ranges[i];
            if (range.From >= to) break;
            if (range.From > next) missing.Add(new OffsetRange(next, range.From));
            next = Math.Max(next, range.To);
            if (range.To <= to)
            {
                below++;
                continue;
            }
            _ranges[i] = range with { From = to };
            break;
        }
        if (next < to) missing.Add(new OffsetRange(next, to));
        _ranges.RemoveRange(0, below);
        return missing;
    }
}
