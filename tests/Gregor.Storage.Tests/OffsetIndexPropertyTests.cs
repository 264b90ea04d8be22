using FsCheck;
using FsCheck.Fluent;
using Gregor.Storage.Index;

namespace Gregor.Storage.Tests;

public sealed class OffsetIndexPropertyTests
{
    [Fact]
    public void Lookup_returns_the_last_entry_at_or_below_the_target()
    {
        Prop.ForAll<PositiveInt[], int>((gaps, target) =>
        {
            const long baseOffset = 1_000;
            var index = new OffsetIndex(baseOffset, maxEntries: 4096);
            var entries = new List<(long Offset, int Position)>();
            long offset = baseOffset;
            int position = 0;
            foreach (var gap in gaps.Take(500))
            {
                offset += gap.Get % 1000;
                position += 1 + gap.Get % 5000;
                if (entries.Count > 0 && offset == entries[^1].Offset) offset++;
                index.Append(offset, position);
                entries.Add((offset, position));
            }
            long probe = baseOffset + Math.Abs(target % 600_000);
            var expected = entries.LastOrDefault<(long Offset, int Position)>(e => e.Offset <= probe, (baseOffset, 0));
            return index.Lookup(probe) == expected;
        }).QuickCheckThrowOnFailure();
    }
}
