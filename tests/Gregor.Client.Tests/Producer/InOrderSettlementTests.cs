using Gregor.Client.Producer;

namespace Gregor.Client.Tests.Producer;

/// <summary>The settling of a broker's Produce requests: in send order, and never stuck behind a failure.</summary>
public sealed class InOrderSettlementTests
{
    [Fact]
    public void AnswersThatResumeOutOfOrderAreSettledInSendOrder()
    {
        var settlement = new InOrderSettlement(_ => { });
        var settled = new List<long>();
        long[] tickets = [settlement.Issue(), settlement.Issue(), settlement.Issue()];

        settlement.Complete(tickets[2], () => settled.Add(2));
        settlement.Complete(tickets[1], () => settled.Add(1));
        Assert.Empty(settled); // both wait for the first request
        settlement.Complete(tickets[0], () => settled.Add(0));

        Assert.Equal([0, 1, 2], settled);
    }

    [Fact]
    public void ASettlementThatThrowsDoesNotStopTheLineEvenWhenReportingItThrowsToo()
    {
        var reported = new List<string>();
        var settlement = new InOrderSettlement(e =>
        {
            reported.Add(e.Message);
            throw new InvalidOperationException("the logger broke too");
        });
        var settled = new List<long>();
        long first = settlement.Issue(), second = settlement.Issue(), third = settlement.Issue();

        settlement.Complete(second, () => settled.Add(2));
        settlement.Complete(first, () => throw new InvalidOperationException("settling failed"));
        settlement.Complete(third, () => settled.Add(3));

        Assert.Equal(["settling failed"], reported);
        Assert.Equal([2, 3], settled);
    }

    [Fact]
    public async Task ConcurrentAnswersAreSettledOneAtATimeInOrder()
    {
        var settlement = new InOrderSettlement(_ => { });
        long[] tickets = Enumerable.Range(0, 2_000).Select(_ => settlement.Issue()).ToArray();
        var settled = new List<long>();
        int running = 0, overlaps = 0;

        await Parallel.ForEachAsync(tickets.Reverse(), new ParallelOptions { MaxDegreeOfParallelism = 8 }, (ticket, _) =>
        {
            settlement.Complete(ticket, () =>
            {
                if (Interlocked.Increment(ref running) > 1) Interlocked.Increment(ref overlaps);
                settled.Add(ticket);
                Interlocked.Decrement(ref running);
            });
            return ValueTask.CompletedTask;
        });

        Assert.Equal(0, overlaps);
        Assert.Equal(tickets, settled);
    }
}
