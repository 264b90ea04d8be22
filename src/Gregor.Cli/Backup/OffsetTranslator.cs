namespace Gregor.Cli.Backup;

/// <summary>
/// Maps the committed offsets of one partition from the source log to the target log when records land
/// at new offsets: a committed offset C means "the next record to read is the first at or after C", so
/// it becomes the new offset of that record, or the target's end when no record is at or after C.
/// Fed the records in order, it keeps only the offsets asked about.
/// </summary>
internal sealed class OffsetTranslator(IEnumerable<long> committed)
{
    private readonly long[] _wanted = [.. committed.Distinct().Order()];
    private readonly Dictionary<long, long> _mapped = [];
    private int _next;

    /// <summary>A record originally at <paramref name="original"/> now sits at <paramref name="now"/>.</summary>
    public void Saw(long original, long now)
    {
        while (_next < _wanted.Length && _wanted[_next] <= original)
            _mapped[_wanted[_next++]] = now;
    }

    /// <summary>The new position for <paramref name="committed"/>, once every record went by and the target ends at <paramref name="targetEnd"/>.</summary>
    public long Translate(long committed, long targetEnd) => _mapped.TryGetValue(committed, out long now) ? now : targetEnd;
}
