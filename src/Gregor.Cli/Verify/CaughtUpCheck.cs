using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Verify;

/// <summary>
/// Decides, once the producer is done, that the group has nothing more to deliver: either every
/// acknowledged record was consumed, or the group's committed offsets (asked of the broker) have
/// reached every partition's last acknowledged record while no live member is inside a batch — on two
/// checks in a row, so a member's report still in its pipe is read first. The second case is how a run
/// that lost records ends: nobody will ever deliver them.
/// </summary>
internal sealed class CaughtUpCheck(KafkaAdminClient admin, string group, string topic, VerifyLedger ledger, Lock sync, MemberPool pool)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private DateTime _nextCheck;
    private int _quietChecks;

    public async Task<bool> HoldsAsync(CancellationToken stop)
    {
        lock (sync)
            if (ledger.AllAcknowledgedConsumed) return true;
        if (DateTime.UtcNow < _nextCheck) return false;
        _nextCheck = DateTime.UtcNow + Interval;

        bool committedToEnd = false;
        try
        {
            var committed = await admin.ListGroupOffsetsAsync(group, stop);
            lock (sync)
            {
                committedToEnd = true;
                for (int partition = 0; partition < ledger.PartitionCount; partition++)
                {
                    long end = ledger.AcknowledgedEnd(partition);
                    long at = committed.TryGetValue(new TopicPartition(topic, partition), out var offset) ? offset.Offset : 0;
                    if (at < end) committedToEnd = false;
                }
            }
        }
        catch (KafkaException)
        {
            // The broker is restarting: ask again at the next check.
        }
        _quietChecks = committedToEnd && !pool.AnyInBatch ? _quietChecks + 1 : 0;
        return _quietChecks >= 2;
    }
}
