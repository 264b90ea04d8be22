using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Gregor.Client;
using Gregor.Client.Consumer;
using Gregor.ConsumerHost;

// A Gregor consumer as one member of a group, speaking the JSON-lines protocol of
// tests/clients/python/group_common.py, so the group tests can watch it like any other member:
// it reports assignments and callbacks, processes records (a record's value is its sequence number),
// commits synchronously after every --commit-every records and for pending partitions before they are
// revoked. SIGTERM closes the consumer (leaving the group) and exits 0.
var options = HostOptions.Parse(args);
var config = new ConsumerConfig
{
    BootstrapServers = options.Bootstrap,
    GroupId = options.Group,
    ClientId = options.Member,
    EnableAutoCommit = false,
    AutoOffsetReset = AutoOffsetReset.Earliest,
    SessionTimeoutMs = options.SessionTimeoutMs,
    HeartbeatIntervalMs = options.HeartbeatIntervalMs,
    FetchMaxWaitMs = 100,
    MetadataMaxAgeMs = 2_000,
};
config.Set("partition.assignment.strategy", options.Strategy);

using var stop = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
var deadline = DateTime.UtcNow.AddSeconds(options.TimeoutSeconds);
var member = new Member(options);
await using var consumer = new KafkaConsumer(config);
member.Consumer = consumer;
consumer.Subscribe([options.Topic], member);
while (!stop.IsCancellationRequested)
{
    if (DateTime.UtcNow > deadline)
    {
        Console.Error.WriteLine($"{options.Member}: timed out after {options.TimeoutSeconds} s.");
        return 3;
    }
    ConsumeResult? record;
    try
    {
        record = await consumer.ConsumeAsync(TimeSpan.FromMilliseconds(100), stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        break;
    }
    member.ReportAssignment();
    if (record is not null) member.Process(record);
}
member.CommitPending(null);
await consumer.CloseAsync();
Events.Emit("closed", options.Member);
return 0;

namespace Gregor.ConsumerHost
{
    internal sealed record HostOptions(string Bootstrap, string Topic, string Group, string Member, string Strategy,
        int SessionTimeoutMs, int HeartbeatIntervalMs, int CommitEvery, int TimeoutSeconds)
    {
        public static HostOptions Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i + 1 < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal)) Usage($"unexpected argument '{args[i]}'");
                values[args[i][2..]] = args[i + 1];
            }
            string Required(string name) => values.GetValueOrDefault(name) ?? Usage($"--{name} is required");
            int Number(string name, int fallback) =>
                values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
            return new HostOptions(Required("bootstrap"), Required("topic"), Required("group"), Required("member"),
                values.GetValueOrDefault("strategy") ?? "range", Number("session-timeout-ms", 6000), Number("heartbeat-interval-ms", 500),
                Number("commit-every", 0), Number("timeout-s", 120));
        }

        private static string Usage(string problem)
        {
            Console.Error.WriteLine($"{problem}\nusage: Gregor.ConsumerHost --bootstrap HOST:PORT --topic T --group G --member NAME " +
                "[--strategy range] [--session-timeout-ms 6000] [--heartbeat-interval-ms 500] [--commit-every 0] [--timeout-s 120]");
            Environment.Exit(2);
            return "";
        }
    }

    /// <summary>One JSON object per line on stdout, flushed at once, so what a SIGKILLed member did is on record.</summary>
    internal static class Events
    {
        private static readonly Lock Output = new();

        public static void Emit(string name, string member, string extra = "")
        {
            lock (Output)
            {
                Console.Out.Write($"{{\"event\": \"{name}\", \"member\": \"{member}\"{extra}}}\n");
                Console.Out.Flush();
            }
        }

        public static string Partitions(IEnumerable<int> partitions) => $", \"partitions\": [{string.Join(", ", partitions.Order())}]";

        public static string Offsets(IReadOnlyDictionary<int, long> offsets) =>
            $", \"offsets\": {{{string.Join(", ", offsets.OrderBy(o => o.Key).Select(o => $"\"{o.Key}\": {o.Value}"))}}}";
    }

    /// <summary>The member's bookkeeping: what it processed, what it committed, and its rebalance callbacks.</summary>
    internal sealed class Member(HostOptions options) : IConsumerRebalanceListener
    {
        private readonly Dictionary<int, long> _processedNext = [];
        private readonly Dictionary<int, long> _committedNext = [];
        private int _sinceCommit;
        private string? _reportedAssignment;

        public KafkaConsumer? Consumer { get; set; }

        public void OnPartitionsAssigned(IReadOnlyCollection<TopicPartition> partitions) =>
            Events.Emit("on_assign", options.Member, Events.Partitions(Mine(partitions)));

        public void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions)
        {
            var revoked = Mine(partitions).ToHashSet();
            Events.Emit("on_revoke", options.Member, Events.Partitions(revoked));
            CommitPending(revoked); // what was processed is committed before another member takes it over
            foreach (int partition in revoked)
            {
                _processedNext.Remove(partition);
                _committedNext.Remove(partition);
            }
        }

        public void OnPartitionsLost(IReadOnlyCollection<TopicPartition> partitions)
        {
            Events.Emit("on_lost", options.Member, Events.Partitions(Mine(partitions)));
            foreach (int partition in Mine(partitions))
            {
                _processedNext.Remove(partition);
                _committedNext.Remove(partition);
            }
        }

        public void ReportAssignment()
        {
            var current = Mine(Consumer!.Assignment).ToList();
            string text = string.Join(",", current);
            if (text == _reportedAssignment) return;
            _reportedAssignment = text;
            Events.Emit("assignment", options.Member, Events.Partitions(current));
        }

        public void Process(ConsumeResult record)
        {
            long sequence = long.TryParse(record.Value is { } v ? Encoding.ASCII.GetString(v.Span) : "", CultureInfo.InvariantCulture, out long s) ? s : -1;
            Events.Emit("processed", options.Member,
                $", \"partition\": {record.Partition}, \"offset\": {record.Offset}, \"seq\": {sequence}");
            _processedNext[record.Partition] = record.Offset + 1;
            if (options.CommitEvery > 0 && ++_sinceCommit >= options.CommitEvery) CommitPending(null);
        }

        public void CommitPending(IReadOnlySet<int>? only)
        {
            _sinceCommit = 0;
            if (options.CommitEvery <= 0) return;
            var pending = _processedNext
                .Where(p => (only is null || only.Contains(p.Key)) && _committedNext.GetValueOrDefault(p.Key, -1) != p.Value)
                .ToDictionary(p => p.Key, p => p.Value);
            if (pending.Count == 0) return;
            Events.Emit("committing", options.Member, Events.Offsets(pending));
            try
            {
                Consumer!.Commit(pending.ToDictionary(p => new TopicPartition(options.Topic, p.Key), p => p.Value));
            }
            catch (KafkaException e)
            {
                Events.Emit("commit_failed", options.Member, $", \"error\": \"{e.Message.Replace("\"", "'")}\"");
                return;
            }
            foreach (var (partition, offset) in pending) _committedNext[partition] = offset;
            Events.Emit("committed", options.Member, Events.Offsets(pending));
        }

        private IEnumerable<int> Mine(IEnumerable<TopicPartition> partitions) =>
            partitions.Where(p => p.Topic == options.Topic).Select(p => p.Partition).Order();
    }
}
