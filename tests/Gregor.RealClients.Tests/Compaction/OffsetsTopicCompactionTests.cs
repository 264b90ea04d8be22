using Gregor.Client;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.RealClients.Tests.Clients;
using Gregor.RealClients.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gregor.RealClients.Tests.Compaction;

/// <summary>
/// However often a group commits, <c>__consumer_offsets</c> stays small: the cleaner keeps the latest
/// commit per partition, and those commits are what the group reads back after a SIGKILL and restart.
/// </summary>
public sealed class OffsetsTopicCompactionTests(ITestOutputHelper output)
{
    private const int Commits = 100_000;
    private const int Partitions = 6;
    private const int InFlight = 64;
    private const string Group = "compaction-group";

    [Fact]
    public async Task A_hundred_thousand_commits_compact_to_a_small_fraction_and_read_back_unchanged_after_a_restart()
    {
        await using var broker = await GregorProcess.StartAsync(new Dictionary<string, string>
        {
            // Only rolled segments are compacted, as in Kafka: small segments let the cleaner work during the test.
            ["offsets.topic.segment.bytes"] = "262144",
            ["log.cleaner.backoff.ms"] = "200",
        });
        var address = new BrokerAddress("127.0.0.1", broker.Port);
        var expected = new long[Partitions];
        await using (KafkaConnection connection = await KafkaConnection.ConnectAsync(address))
        {
            await CreateTopicAsync(connection, "committed", Partitions);
            using var window = new SemaphoreSlim(InFlight);
            var pending = new List<Task<OffsetCommitResponse>>(Commits);
            for (int i = 0; i < Commits; i++)
            {
                await window.WaitAsync();
                int partition = i % Partitions;
                expected[partition] = i;
                Task<OffsetCommitResponse> commit = connection.SendAsync<OffsetCommitResponse>(ApiKey.OffsetCommit, 7, CommitRequest(partition, i));
                _ = commit.ContinueWith(_ => window.Release(), TaskScheduler.Default);
                pending.Add(commit);
            }
            OffsetCommitResponse[] answers = await Task.WhenAll(pending);
            Assert.All(answers, a => Assert.Equal(0, a.Topics.Single().Partitions.Single().ErrorCode));
        }

        string partitionDirectory = Path.Combine(broker.DataDirectory, $"__consumer_offsets-{GroupPartition()}");
        // Every commit is one batch of one record of the same size; the cleaner has been at work all along,
        // so what was written is counted from that size rather than read off the disk.
        long written = Commits * (long)FirstBatchSize(partitionDirectory);
        long compacted = written;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            compacted = SegmentBytes(partitionDirectory);
            if (compacted < written / 20) break;
            await Task.Delay(200);
        }
        output.WriteLine($"{Commits} commits: {written} bytes of segments before compaction, {compacted} after ({100.0 * compacted / written:F1}%)");
        Assert.True(compacted < written / 20, $"__consumer_offsets holds {compacted} of {written} bytes after compaction; expected under 5%.");

        ProcessResult remaining = (await Kcat.RunAsync(broker.BootstrapServers,
            ["-C", "-t", "__consumer_offsets", "-p", GroupPartition().ToString(), "-o", "beginning", "-e", "-q", "-f", "%o\\n"], TimeSpan.FromSeconds(30))).EnsureSuccess();
        long[] offsets = remaining.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
        output.WriteLine($"{offsets.Length} of {Commits} records remain; the last at offset {offsets[^1]}");
        Assert.True(offsets.Length < Commits / 20);
        Assert.Equal(Commits - 1, offsets[^1]);

        broker.Kill();
        await broker.RestartAsync();
        await using (KafkaConnection connection = await KafkaConnection.ConnectAsync(address))
        {
            var fetch = new OffsetFetchRequest
            {
                GroupId = Group,
                Topics = [new OffsetFetchRequest.OffsetFetchRequestTopic { Name = "committed", PartitionIndexes = Enumerable.Range(0, Partitions).ToList() }],
            };
            OffsetFetchResponse fetched = await connection.SendAsync<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, fetch);
            long[] readBack = fetched.Topics.Single().Partitions.OrderBy(p => p.PartitionIndex).Select(p => p.CommittedOffset).ToArray();
            Assert.Equal(expected, readBack);
        }
    }

    private static OffsetCommitRequest CommitRequest(int partition, long offset) => new()
    {
        GroupId = Group,
        GenerationIdOrMemberEpoch = -1,
        Topics =
        [
            new OffsetCommitRequest.OffsetCommitRequestTopic
            {
                Name = "committed",
                Partitions = [new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = partition, CommittedOffset = offset }],
            },
        ],
    };

    private static async Task CreateTopicAsync(KafkaConnection connection, string name, int partitions)
    {
        var request = new CreateTopicsRequest
        {
            TimeoutMs = 10_000,
            Topics = [new CreateTopicsRequest.CreatableTopic { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }],
        };
        CreateTopicsResponse response = await connection.SendAsync<CreateTopicsResponse>(ApiKey.CreateTopics, 5, request);
        Assert.Equal(0, response.Topics.Single().ErrorCode);
    }

    /// <summary>The group's partition of __consumer_offsets: abs(Java String.hashCode) % 50, as Kafka computes it.</summary>
    private static int GroupPartition()
    {
        int hash = 0;
        foreach (char c in Group) hash = unchecked(31 * hash + c);
        return (hash == int.MinValue ? 0 : Math.Abs(hash)) % 50;
    }

    /// <summary>Base offset (8 bytes) and batch length (4) lead every batch on disk.</summary>
    private static int FirstBatchSize(string directory)
    {
        string active = Directory.EnumerateFiles(directory, "*.log").Order(StringComparer.Ordinal).Last();
        byte[] head = new byte[12];
        using FileStream file = File.OpenRead(active);
        file.ReadExactly(head);
        return 12 + System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(8));
    }

    private static long SegmentBytes(string directory) =>
        Directory.EnumerateFiles(directory, "*.log").Sum(file => new FileInfo(file).Length);
}
