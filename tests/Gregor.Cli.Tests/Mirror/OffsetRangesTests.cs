using Gregor.Cli.Mirror;

namespace Gregor.Cli.Tests.Mirror;

public sealed class OffsetRangesTests
{
    [Fact]
    public void OffsetsAddedInAnyOrderMergeIntoOneRangeOnceTheyTouch()
    {
        var set = new OffsetRanges();
        foreach (long offset in new long[] { 13, 14, 15, 10, 11, 17, 12, 16, 11 }) set.Add(offset);

        Assert.Equal(1, set.RangeCount);
        Assert.Equal([new OffsetRange(5, 10), new OffsetRange(18, 20)], set.TakeMissing(5, 20));
    }

    [Fact]
    public void TakeMissingListsTheHolesAndForgetsOnlyWhatLiesBelowItsEnd()
    {
        var set = new OffsetRanges();
        foreach (long offset in new long[] { 0, 1, 4, 5, 6, 9, 10, 11 }) set.Add(offset);

        Assert.Equal([new OffsetRange(2, 4), new OffsetRange(7, 9)], set.TakeMissing(0, 10));
        // 10 and 11 are still known: nothing missing there, and the next hole starts at 12.
        Assert.Equal([new OffsetRange(12, 14)], set.TakeMissing(10, 14));
        Assert.Equal(0, set.RangeCount);
    }
}
