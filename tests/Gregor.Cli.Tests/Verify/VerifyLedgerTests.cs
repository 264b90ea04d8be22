using Gregor.Cli.Verify;

namespace Gregor.Cli.Tests.Verify;

/// <summary>The accounting of gregor verify: what counts as lost, duplicated and out of order.</summary>
public sealed class VerifyLedgerTests
{
    [Fact]
    public void EveryAcknowledgedRecordConsumedOnceInOrderPasses()
    {
        var ledger = new VerifyLedger(2);
        AckAll(ledger, (0, 0, 0), (1, 1, 0), (2, 0, 1), (3, 1, 1));
        ledger.Assigned("m1", [0, 1]);
        ledger.Processed("m1", 0, 0, 0);
        ledger.Processed("m1", 1, 0, 1);
        ledger.Processed("m1", 0, 1, 2);
        ledger.Processed("m1", 1, 1, 3);

        var verdict = ledger.Verdict();

        Assert.True(verdict.Passed);
        Assert.Equal(4, verdict.Acknowledged);
        Assert.Equal(4, verdict.Consumed);
        Assert.Equal(0, verdict.Lost + verdict.Duplicated + verdict.OutOfOrder);
        Assert.True(ledger.AllAcknowledgedConsumed);
    }

    [Fact]
    public void AnAcknowledgedRecordNeverConsumedIsLostOnItsPartition()
    {
        var ledger = new VerifyLedger(3);
        AckAll(ledger, (0, 2, 0), (1, 2, 1), (2, 0, 0));
        ledger.Processed("m1", 2, 0, 0);
        ledger.Processed("m1", 0, 0, 2);

        var verdict = ledger.Verdict();

        Assert.False(verdict.Passed);
        Assert.Equal(1, verdict.Lost);
        Assert.Equal(1, verdict.Partitions[2].Lost);
        Assert.Equal(0, verdict.Partitions[0].Lost);
        Assert.Equal(1, ledger.Outstanding);
        Assert.False(ledger.AllAcknowledgedConsumed);
    }

    [Fact]
    public void RedeliveryToANewOwnerIsADuplicateNotDisorder()
    {
        var ledger = new VerifyLedger(1);
        AckAll(ledger, (0, 0, 0), (1, 0, 1), (2, 0, 2));
        ledger.Assigned("m1", [0]);
        ledger.Processed("m1", 0, 0, 0);
        ledger.Processed("m1", 0, 1, 1);
        ledger.MemberGone("m1"); // killed before committing offset 1
        ledger.Assigned("m2", [0]);
        ledger.Processed("m2", 0, 1, 1);
        ledger.Processed("m2", 0, 2, 2);

        var verdict = ledger.Verdict();

        Assert.True(verdict.Passed);
        Assert.Equal(1, verdict.Duplicated);
        Assert.Equal(3, verdict.Consumed);
        Assert.Equal(0, verdict.OutOfOrder);
    }

    [Fact]
    public void TheSameMemberGettingThePartitionBackStartsANewOwnership()
    {
        var ledger = new VerifyLedger(1);
        AckAll(ledger, (0, 0, 0), (1, 0, 1));
        ledger.Assigned("m1", [0]);
        ledger.Processed("m1", 0, 0, 0);
        ledger.Processed("m1", 0, 1, 1);
        ledger.Released("m1", [0]);
        ledger.Assigned("m1", [0]);
        ledger.Processed("m1", 0, 1, 1);

        Assert.Equal(0, ledger.Verdict().OutOfOrder);
        Assert.Equal(1, ledger.Verdict().Duplicated);
    }

    [Fact]
    public void AMemberGoingBackWithinOneOwnershipIsOutOfOrder()
    {
        var ledger = new VerifyLedger(1);
        AckAll(ledger, (0, 0, 0), (1, 0, 1), (2, 0, 2));
        ledger.Assigned("m1", [0]);
        ledger.Processed("m1", 0, 0, 0);
        ledger.Processed("m1", 0, 2, 2);
        ledger.Processed("m1", 0, 1, 1);

        var verdict = ledger.Verdict();

        Assert.False(verdict.Passed);
        Assert.Equal(0, verdict.Lost);
        Assert.Equal(1, verdict.OutOfOrder);
        Assert.Equal(1, verdict.Partitions[0].ConsumerWentBack);
    }

    [Fact]
    public void TheSameOffsetTwiceWithinOneOwnershipIsOutOfOrder()
    {
        var ledger = new VerifyLedger(1);
        AckAll(ledger, (0, 0, 0));
        ledger.Assigned("m1", [0]);
        ledger.Processed("m1", 0, 0, 0);
        ledger.Processed("m1", 0, 0, 0);

        Assert.Equal(1, ledger.Verdict().Partitions[0].ConsumerWentBack);
        Assert.Equal(1, ledger.Verdict().Duplicated);
    }

    [Fact]
    public void TwoMembersEachMovingForwardAreNotComparedWithEachOther()
    {
        var ledger = new VerifyLedger(1);
        AckAll(ledger, (0, 0, 0), (1, 0, 1));
        ledger.Processed("m1", 0, 1, 1);
        ledger.Processed("m2", 0, 0, 0);

        Assert.Equal(0, ledger.Verdict().OutOfOrder);
    }

    [Fact]
    public void ALogWhoseOffsetsDisagreeWithTheProducersOrderIsOutOfOrder()
    {
        var ledger = new VerifyLedger(1);
        AckAll(ledger, (0, 0, 1), (1, 0, 0), (2, 0, 2)); // sequence 1 landed before sequence 0
        ledger.Processed("m1", 0, 0, 1);
        ledger.Processed("m1", 0, 1, 0);
        ledger.Processed("m1", 0, 2, 2);

        var verdict = ledger.Verdict();

        Assert.Equal(1, verdict.Partitions[0].LogOutOfSequence);
        Assert.Equal(1, verdict.OutOfOrder);
        Assert.False(verdict.Passed);
    }

    [Fact]
    public void ARecordWhoseContentIsNotWhatWasAcknowledgedThereIsOutOfOrder()
    {
        var ledger = new VerifyLedger(1);
        AckAll(ledger, (7, 0, 0));
        ledger.Processed("m1", 0, 0, 8);

        var verdict = ledger.Verdict();

        Assert.Equal(1, verdict.Partitions[0].SequenceMismatch);
        Assert.False(verdict.Passed);
        Assert.Equal(0, verdict.Lost);
    }

    [Fact]
    public void AConsumptionReportedBeforeItsAcknowledgementStillCounts()
    {
        var ledger = new VerifyLedger(1);
        ledger.Processed("m1", 0, 0, 0);
        Assert.Equal(0, ledger.Outstanding);
        Assert.Equal(1, ledger.Verdict().ConsumedUnacknowledged);

        ledger.Acknowledge(0, 0, 0);

        Assert.True(ledger.AllAcknowledgedConsumed);
        Assert.Equal(0, ledger.Verdict().ConsumedUnacknowledged);
        Assert.True(ledger.Verdict().Passed);
    }

    [Fact]
    public void FailedSendsAreNotLossAndAcknowledgedEndFollowsTheHighestOffset()
    {
        var ledger = new VerifyLedger(2);
        ledger.Sent();
        ledger.Sent();
        ledger.Acknowledge(0, 1, 41);
        ledger.ProduceFailed();
        ledger.Processed("m1", 1, 41, 0);

        var verdict = ledger.Verdict();

        Assert.True(verdict.Passed);
        Assert.Equal(2, verdict.Produced);
        Assert.Equal(1, verdict.ProduceFailed);
        Assert.Equal(42, ledger.AcknowledgedEnd(1));
        Assert.Equal(0, ledger.AcknowledgedEnd(0));
    }

    [Fact]
    public void APartitionOutsideTheTopicIsRefused()
    {
        var ledger = new VerifyLedger(2);
        ledger.Acknowledge(0, 0, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Processed("m1", 2, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.Acknowledge(1, 2, 0));
    }

    [Fact]
    public void ASecondRecordAcknowledgedAtATakenOffsetIsLostEvenThoughTheOffsetWasConsumed()
    {
        var ledger = new VerifyLedger(1);
        AckAll(ledger, (0, 0, 0), (1, 0, 1), (2, 0, 1));
        ledger.Processed("m1", 0, 0, 0);
        ledger.Processed("m1", 0, 1, 1);

        var verdict = ledger.Verdict();

        Assert.False(verdict.Passed);
        Assert.Equal(3, verdict.Acknowledged);
        Assert.Equal(1, verdict.Lost);
        Assert.Equal(1, verdict.Partitions[0].AcknowledgedAtTakenOffset);
        Assert.Equal(0, verdict.OutOfOrder);
        Assert.False(ledger.AllAcknowledgedConsumed);
    }

    [Fact]
    public void TheSameRecordAcknowledgedTwiceAtItsOffsetCountsOnce()
    {
        var ledger = new VerifyLedger(1);
        AckAll(ledger, (0, 0, 0), (0, 0, 0));
        ledger.Processed("m1", 0, 0, 0);

        var verdict = ledger.Verdict();

        Assert.True(verdict.Passed);
        Assert.Equal(1, verdict.Acknowledged);
        Assert.Equal(0, verdict.Partitions[0].AcknowledgedAtTakenOffset);
        Assert.True(ledger.AllAcknowledgedConsumed);
    }

    private static void AckAll(VerifyLedger ledger, params (long Sequence, int Partition, long Offset)[] acks)
    {
        foreach (var (sequence, partition, offset) in acks)
        {
            ledger.Sent();
            ledger.Acknowledge(sequence, partition, offset);
        }
    }
}
