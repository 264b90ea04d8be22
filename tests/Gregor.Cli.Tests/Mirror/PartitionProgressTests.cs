using Gregor.Cli.Mirror;
using Gregor.Client;

namespace Gregor.Cli.Tests.Mirror;

/// <summary>The accounting of one mirrored partition, with acknowledgements in the order the producer may really give them.</summary>
public sealed class PartitionProgressTests
{
    private static PartitionProgress Resumed(long resumedFrom = 100, long targetEnd = 50) =>
        new(new TopicPartition("orders", 0), new TopicPartition("orders", 0), resumedFrom, targetEnd);

    [Fact]
    public void AcknowledgementsOutOfOrderLeaveNoGap()
    {
        var progress = Resumed();
        progress.NextToSend = 106;
        // Two batches: source 100-102 stored at 50-52, 103-105 at 53-55; the second answer is settled first.
        for (int i = 3; i < 6; i++) progress.Delivered(100 + i, 50 + i);
        for (int i = 0; i < 3; i++) progress.Delivered(100 + i, 50 + i);

        Assert.Empty(progress.TakeGaps(56));
        Assert.Equal(106, progress.MirroredTo);
        Assert.Equal(6, progress.Copied);
    }

    [Fact]
    public void AKilledRunsLateBatchBetweenThisRunsRecordsCountsAsDuplicatesAndAStrangersAsForeign()
    {
        var progress = Resumed();
        progress.NextToSend = 104;
        // Target 50-51: a killed run's copies of 100 and 101; 52: a stranger's record; 53-56: this run's 100-103.
        for (int i = 0; i < 4; i++) progress.Delivered(100 + i, 53 + i);

        Assert.Equal([new OffsetRange(50, 53)], progress.TakeGaps(57));
        foreach (long? origin in new long?[] { 100, 101, null }) progress.Classify(origin);
        progress.SettleCopiesAhead(final: false);

        Assert.Equal(2, progress.Duplicates);
        Assert.Equal(1, progress.Foreign);
        Assert.Empty(progress.TakeGaps(57)); // looked at once only
    }

    [Fact]
    public void ALateCopyOfARecordThisRunHasNotSentYetBecomesADuplicateOnceItIsSent()
    {
        var progress = Resumed();
        progress.NextToSend = 101;
        progress.Delivered(100, 51);
        // Target 50: a killed run's copy of 104, which this run reaches later; 52: its copy of 150, never reached.
        Assert.Equal([new OffsetRange(50, 51), new OffsetRange(52, 53)], progress.TakeGaps(53));
        progress.Classify(104);
        progress.Classify(150);
        progress.SettleCopiesAhead(final: false);
        Assert.Equal(0, progress.Duplicates + progress.Foreign);

        progress.NextToSend = 105;
        progress.SettleCopiesAhead(final: false);
        Assert.Equal(1, progress.Duplicates);

        progress.SettleCopiesAhead(final: true);
        Assert.Equal(1, progress.Duplicates);
        Assert.Equal(1, progress.Foreign);
    }

    [Fact]
    public void ACopyOfASourceOffsetBeforeTheResumePointIsForeign()
    {
        var progress = Resumed();
        progress.Classify(99);
        Assert.Equal(1, progress.Foreign);
        Assert.Equal(0, progress.Duplicates);
    }
}
