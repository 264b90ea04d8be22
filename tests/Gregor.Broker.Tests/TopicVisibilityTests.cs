using System.Collections.Concurrent;
using Gregor.Broker.Tests.Support;
using Gregor.Protocol;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Broker.Tests;

/// <summary>
/// A topic, or a new partition, is visible to clients only once it can be used: whoever sees it in
/// Metadata must be able to ListOffsets, Produce and Fetch it at once, without UNKNOWN_TOPIC_OR_PARTITION.
/// The probes pipeline Metadata and ListOffsets on one connection (the broker handles a connection's
/// requests in order, so the ListOffsets runs right after the Metadata that listed the partition), then
/// Produce and Fetch.
/// </summary>
public sealed class TopicVisibilityTests
{
    // The old window, between the topic's record and its last open partition, grew with the partition count.
    private const int PartitionsPerTopic = 40;
    private const int GrowthSteps = 3;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly Dictionary<string, string> NoAutoCreate = new() { ["auto.create.topics.enable"] = "false" };

    [Fact]
    public async Task A_topic_listed_in_metadata_can_be_used_at_once_while_it_is_being_created()
    {
        await using var broker = await InProcessBroker.StartAsync(NoAutoCreate);
        await using var creator = await RawClient.ConnectAsync(broker.Port);
        await using var probers = await Probers.ConnectAsync(broker.Port);
        var failures = new ConcurrentQueue<string>();
        int probesWhileListed = 0;

        for (int i = 0; i < 6; i++)
        {
            string topic = $"fresh-{i}";
            Task<int> probing = probers.ProbeUntilListedAsync(topic, PartitionsPerTopic, failures);
            CreateTopicsResponse created = await creator.CreateTopicAsync(topic, PartitionsPerTopic);
            Assert.Equal(0, created.Topics.Single().ErrorCode);
            probesWhileListed += await probing;
        }

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(10)));
        Assert.True(probesWhileListed >= 6 * 3, $"only {probesWhileListed} probes saw a listed topic");
    }

    [Fact]
    public async Task A_new_partition_listed_in_metadata_can_be_used_at_once_while_the_topic_grows()
    {
        await using var broker = await InProcessBroker.StartAsync(NoAutoCreate);
        await using var admin = await RawClient.ConnectAsync(broker.Port);
        await using var probers = await Probers.ConnectAsync(broker.Port);
        Assert.Equal(0, (await admin.CreateTopicAsync("growing", 1)).Topics.Single().ErrorCode);
        var failures = new ConcurrentQueue<string>();

        for (int count = 1 + PartitionsPerTopic; count <= 1 + GrowthSteps * PartitionsPerTopic; count += PartitionsPerTopic)
        {
            Task<int> probing = probers.ProbeUntilListedAsync("growing", count, failures);
            CreatePartitionsResponse grown = await GrowAsync(admin, "growing", count);
            Assert.Equal(0, grown.Results.Single().ErrorCode);
            await probing;
        }

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(10)));
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_have_exactly_one_winner()
    {
        await using var broker = await InProcessBroker.StartAsync(NoAutoCreate);
        RawClient[] clients = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RawClient.ConnectAsync(broker.Port)));
        try
        {
            for (int i = 0; i < 10; i++)
            {
                string topic = $"contested-{i}";
                CreateTopicsResponse[] answers = await Task.WhenAll(clients.Select(c => c.CreateTopicAsync(topic, 4)));
                short[] errors = answers.Select(a => a.Topics.Single().ErrorCode).ToArray();
                Assert.Equal(1, errors.Count(e => e == 0));
                Assert.Equal(clients.Length - 1, errors.Count(e => e == (short)ErrorCode.TopicAlreadyExists));
                // Every loser may use the topic as soon as it has been told that it exists.
                foreach (RawClient client in clients)
                {
                    ListOffsetsResponse offsets = await client.ListOffsetAsync(topic, 3, -1);
                    Assert.Equal(0, offsets.Topics[0].Partitions[0].ErrorCode);
                }
            }
        }
        finally
        {
            foreach (RawClient client in clients) await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_produce_that_auto_creates_a_topic_being_created_succeeds()
    {
        await using var broker = await InProcessBroker.StartAsync(new Dictionary<string, string> { ["num.partitions"] = "1" });
        await using var creator = await RawClient.ConnectAsync(broker.Port);
        await using var producer = await RawClient.ConnectAsync(broker.Port);

        for (int i = 0; i < 15; i++)
        {
            string topic = $"auto-{i}";
            Task<CreateTopicsResponse> creating = creator.CreateTopicAsync(topic, 12);
            ProduceResponse produced = await producer.ProduceAsync(topic, 0, Batches.Make(1), acks: 1);
            short createError = (await creating).Topics.Single().ErrorCode;

            ProduceResponse.PartitionProduceResponse answer = produced.Responses[0].PartitionResponses[0];
            Assert.True(answer.ErrorCode == 0, $"{topic}: produce answered {(ErrorCode)answer.ErrorCode} ({answer.ErrorMessage})");
            Assert.True(createError is 0 or (short)ErrorCode.TopicAlreadyExists, $"{topic}: create answered {(ErrorCode)createError}");
        }
    }

    [Fact]
    public async Task A_topic_whose_partition_directories_were_never_written_is_complete_after_a_restart()
    {
        // What a crash between recording the topic and creating its logs leaves behind.
        string directory = Path.Combine(Path.GetTempPath(), "gregor-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = await InProcessBroker.StartAsync(dataDirectory: directory))
            {
                await using var client = await RawClient.ConnectAsync(first.Port);
                Assert.Equal(0, (await client.CreateTopicAsync("half-made", 3)).Topics.Single().ErrorCode);
            }
            string[] logs = Directory.GetDirectories(directory, "half-made-*", SearchOption.AllDirectories);
            Assert.Equal(3, logs.Length);
            foreach (string log in logs) Directory.Delete(log, recursive: true);

            await using var second = await InProcessBroker.StartAsync(dataDirectory: directory);
            await using var again = await RawClient.ConnectAsync(second.Port);
            for (int p = 0; p < 3; p++)
                Assert.Equal(0, (await again.ListOffsetAsync("half-made", p, -1)).Topics[0].Partitions[0].ErrorCode);
            Assert.Equal(0, (await again.ProduceAsync("half-made", 2, Batches.Make(1))).Responses[0].PartitionResponses[0].ErrorCode);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A few connections probing one topic at once, so that some probe lands inside any window.</summary>
    private sealed class Probers : IAsyncDisposable
    {
        private readonly RawClient[] _clients;

        private Probers(RawClient[] clients) => _clients = clients;

        public static async Task<Probers> ConnectAsync(int port) =>
            new(await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => RawClient.ConnectAsync(port))));

        /// <summary>
        /// Probes <paramref name="topic"/> until Metadata lists <paramref name="partitions"/> partitions, and
        /// a few times more; records every probe in which a listed partition could not be used. Returns how
        /// many probes saw the topic listed in full.
        /// </summary>
        public async Task<int> ProbeUntilListedAsync(string topic, int partitions, ConcurrentQueue<string> failures)
        {
            using var stop = new CancellationTokenSource(Deadline);
            int[] listed = await Task.WhenAll(_clients.Select(c => ProbeUntilListedAsync(c, topic, partitions, failures, stop.Token)));
            return listed.Sum();
        }

        private static async Task<int> ProbeUntilListedAsync(RawClient client, string topic, int partitions, ConcurrentQueue<string> failures,
            CancellationToken stop)
        {
            int listedProbes = 0;
            while (listedProbes < 3)
            {
                stop.ThrowIfCancellationRequested();
                Probe probe = await ProbeAsync(client, topic);
                foreach (string problem in probe.Problems)
                    failures.Enqueue($"{topic} listed with {probe.ListedPartitions} partition(s): {problem}");
                if (probe.ListedPartitions >= partitions) listedProbes++;
            }
            return listedProbes;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (RawClient client in _clients) await client.DisposeAsync();
        }
    }

    private readonly record struct Probe(int ListedPartitions, List<string> Problems);

    /// <summary>Metadata and ListOffsets pipelined, then a Produce and a Fetch to the highest listed partition.</summary>
    private static async Task<Probe> ProbeAsync(RawClient client, string topic)
    {
        // The partition count is not known before the Metadata answer, so ask for a generous range and
        // judge only the partitions that the Metadata answer listed.
        const int AskedPartitions = 1 + GrowthSteps * PartitionsPerTopic;
        var metadata = new MetadataRequest { Topics = [new MetadataRequest.MetadataRequestTopic { Name = topic }], AllowAutoTopicCreation = false };
        var listOffsets = new ListOffsetsRequest
        {
            ReplicaId = -1,
            Topics =
            [
                new ListOffsetsRequest.ListOffsetsTopic
                {
                    Name = topic,
                    Partitions = Enumerable.Range(0, AskedPartitions)
                        .Select(p => new ListOffsetsRequest.ListOffsetsPartition { PartitionIndex = p, Timestamp = -1 }).ToList(),
                },
            ],
        };
        await client.SendRequestAsync(ApiKey.Metadata, 9, metadata.Write);
        await client.SendRequestAsync(ApiKey.ListOffsets, 5, listOffsets.Write);
        MetadataResponse listed = await ReadAsync(client, ApiKey.Metadata, 9, MetadataResponse.Read);
        ListOffsetsResponse offsets = await ReadAsync(client, ApiKey.ListOffsets, 5, ListOffsetsResponse.Read);

        MetadataResponse.MetadataResponseTopic answer = listed.Topics.Single();
        int count = answer.ErrorCode == 0 ? answer.Partitions.Count : 0;
        var problems = new List<string>();
        if (count == 0) return new Probe(0, problems);
        foreach (ListOffsetsResponse.ListOffsetsPartitionResponse p in offsets.Topics[0].Partitions)
            if (p.PartitionIndex < count && p.ErrorCode != 0)
                problems.Add($"ListOffsets of partition {p.PartitionIndex} answered {(ErrorCode)p.ErrorCode}");

        // Produce and Fetch of the highest partition, one round trip after the Metadata that listed it.
        int highest = count - 1;
        short produceError = (await client.ProduceAsync(topic, highest, Batches.Make(1), acks: 1)).Responses[0].PartitionResponses[0].ErrorCode;
        if (produceError != 0) problems.Add($"Produce to partition {highest} answered {(ErrorCode)produceError}");
        short fetchError = (await client.FetchAsync(topic, highest, 0)).Responses[0].Partitions[0].ErrorCode;
        if (fetchError != 0) problems.Add($"Fetch of partition {highest} answered {(ErrorCode)fetchError}");
        return new Probe(count, problems);
    }

    private static async Task<T> ReadAsync<T>(RawClient client, ApiKey key, short version, Func<KafkaReader, short, T> read)
    {
        byte[] frame = await client.ReadFrameAsync(TimeSpan.FromSeconds(10)) ?? throw new IOException("The broker closed the connection.");
        var reader = new KafkaReader(frame);
        ResponseHeader.Read(reader, ApiMessages.ResponseHeaderVersion(key, version));
        return read(reader, version);
    }

    private static Task<CreatePartitionsResponse> GrowAsync(RawClient client, string topic, int count)
    {
        var request = new CreatePartitionsRequest
        {
            Topics = [new CreatePartitionsRequest.CreatePartitionsTopic { Name = topic, Count = count, Assignments = null }],
            TimeoutMs = 10_000,
        };
        return client.SendAsync(ApiKey.CreatePartitions, 3, request.Write, CreatePartitionsResponse.Read);
    }
}
