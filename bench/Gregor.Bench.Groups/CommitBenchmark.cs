using System.Text.Json.Nodes;
using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Bench.Groups;

internal sealed record RateSettings(
    BrokerAddress Broker,
    IReadOnlyList<int> InFlight,
    IReadOnlyList<int> PartitionsPerRequest,
    int Rounds,
    TimeSpan Warmup,
    TimeSpan Duration,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs);

/// <summary>
/// The OffsetCommit rate one consumer sustains — a member of a stable group committing on its
/// coordinator connection with 1 request in flight (synchronous commits) or several (asynchronous
/// ones), for 1 or more partitions per request — and, in the same run on the same broker, the
/// baselines it is compared with: a produce with acks=all of the same number of small records in
/// one batch (a commit is that: one batch appended to a <c>__consumer_offsets</c> partition and
/// answered once durable), and an ApiVersions round trip (the request path without any log).
/// </summary>
internal sealed class CommitBenchmark(RateSettings settings, BrokerCpu cpu, ResultLog log, JsonObject labels)
{
    private const string CommittedTopic = "bench-commit-source";
    private const string ProduceTopic = "bench-produce";
    // The versions a Kafka 2.3 client sends, the same era as the group APIs of ConsumerMember.
    private const short OffsetCommitVersion = 7, ProduceVersion = 7, ApiVersionsVersion = 2;

    private readonly string _groupId = $"bench-commit-{Guid.NewGuid().ToString("N")[..8]}";
    private readonly Dictionary<int, long> _highestAcknowledged = [];
    private readonly Lock _acknowledgedLock = new();
    private long _producedRecords;
    private long _lastOffset; // every commit commits a higher offset than any before it, across workloads

    private sealed record Workload(string Operation, int Partitions, int InFlight, Func<Task> Send);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        int partitions = settings.PartitionsPerRequest.Max();
        await BrokerSetup.CreateTopicAsync(settings.Broker, CommittedTopic, partitions, cancellationToken);
        await BrokerSetup.CreateTopicAsync(settings.Broker, ProduceTopic, 1, cancellationToken);

        var memberSettings = new MemberSettings(_groupId, CommittedTopic, partitions, settings.SessionTimeoutMs, settings.RebalanceTimeoutMs);
        await using ConsumerMember member = await ConsumerMember.ConnectAsync(settings.Broker, memberSettings, "bench-committer", cancellationToken);
        member.Connection.Negotiate(ApiKey.OffsetCommit, OffsetCommitVersion, OffsetCommitVersion);
        await member.JoinAndSyncAsync(cancellationToken);
        await using KafkaConnection producer = await KafkaConnection.ConnectAsync(settings.Broker,
            new KafkaClientOptions { ClientId = "bench-producer" }, cancellationToken);
        producer.Negotiate(ApiKey.Produce, ProduceVersion, ProduceVersion);
        producer.Negotiate(ApiKey.ApiVersions, ApiVersionsVersion, ApiVersionsVersion);

        var workloads = new List<Workload>();
        foreach (int count in settings.PartitionsPerRequest)
        {
            byte[] batch = ProduceBatch.Build(count);
            foreach (int inFlight in settings.InFlight)
            {
                workloads.Add(new Workload("commit", count, inFlight, () => CommitAsync(member, count, cancellationToken)));
                workloads.Add(new Workload("produce", count, inFlight, () => ProduceAsync(producer, batch, count, cancellationToken)));
            }
        }
        foreach (int inFlight in settings.InFlight)
            workloads.Add(new Workload("api_versions", 0, inFlight, () => ApiVersionsAsync(producer, cancellationToken)));

        for (int round = 1; round <= settings.Rounds; round++)
        {
            // Reverse the order every other round, so no workload always follows the same one.
            IEnumerable<Workload> order = round % 2 == 1 ? workloads : Enumerable.Reverse(workloads);
            foreach (Workload workload in order)
            {
                LoadResult result = await LoadRunner.RunAsync(workload.Send, workload.InFlight, settings.Warmup, settings.Duration, cpu, cancellationToken);
                Report(round, workload, result);
            }
        }
        await VerifyAsync(settings.InFlight.Max(), cancellationToken);
    }

    private async Task CommitAsync(ConsumerMember member, int partitions, CancellationToken cancellationToken)
    {
        long offset = Interlocked.Increment(ref _lastOffset);
        var topic = new OffsetCommitRequest.OffsetCommitRequestTopic { Name = CommittedTopic };
        for (int p = 0; p < partitions; p++)
            topic.Partitions.Add(new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = p, CommittedOffset = offset });
        var request = new OffsetCommitRequest
        {
            GroupId = _groupId,
            GenerationIdOrMemberEpoch = member.Generation,
            MemberId = member.MemberId,
            Topics = [topic],
        };
        var response = await member.Connection.SendAsync<OffsetCommitResponse>(ApiKey.OffsetCommit, OffsetCommitVersion, request, cancellationToken);
        var answers = response.Topics.SelectMany(t => t.Partitions).ToList();
        if (answers.Count != partitions) throw new BenchmarkFailedException($"OffsetCommit of {partitions} partitions was answered for {answers.Count}.");
        foreach (var answer in answers)
            if (answer.ErrorCode != 0)
                throw new BenchmarkFailedException($"OffsetCommit of {CommittedTopic}-{answer.PartitionIndex} failed with {((ErrorCode)answer.ErrorCode).ToKafkaName()}.");
        lock (_acknowledgedLock)
            for (int p = 0; p < partitions; p++)
                _highestAcknowledged[p] = Math.Max(_highestAcknowledged.GetValueOrDefault(p, -1), offset);
    }

    private async Task ProduceAsync(KafkaConnection producer, byte[] batch, int records, CancellationToken cancellationToken)
    {
        var request = new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 30_000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = ProduceTopic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = batch }] }],
        };
        var response = await producer.SendAsync<ProduceResponse>(ApiKey.Produce, ProduceVersion, request, cancellationToken);
        var answer = response.Responses.SelectMany(t => t.PartitionResponses).SingleOrDefault()
            ?? throw new BenchmarkFailedException("A produce request was answered without its partition.");
        if (answer.ErrorCode != 0)
            throw new BenchmarkFailedException($"Produce to {ProduceTopic}-0 failed with {((ErrorCode)answer.ErrorCode).ToKafkaName()}: {answer.ErrorMessage}");
        Interlocked.Add(ref _producedRecords, records);
    }

    private static async Task ApiVersionsAsync(KafkaConnection connection, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync<ApiVersionsResponse>(ApiKey.ApiVersions, ApiVersionsVersion, new ApiVersionsRequest(), cancellationToken);
        if (response.ErrorCode != 0) throw new BenchmarkFailedException($"ApiVersions failed with {((ErrorCode)response.ErrorCode).ToKafkaName()}.");
    }

    /// <summary>
    /// What was acknowledged must be there: the group's offsets are among the last ones committed
    /// (requests in flight together may be written in another order than numbered), and the produce
    /// partition holds every acknowledged record.
    /// </summary>
    private async Task VerifyAsync(int maxInFlight, CancellationToken cancellationToken)
    {
        await using var admin = await KafkaAdminClient.ConnectAsync(settings.Broker.ToString(), cancellationToken: cancellationToken);
        var committed = await admin.ListGroupOffsetsAsync(_groupId, cancellationToken);
        foreach (var (partition, highest) in _highestAcknowledged)
        {
            long? offset = committed.TryGetValue(new TopicPartition(CommittedTopic, partition), out var c) ? c.Offset : null;
            if (offset is not { } o || o > highest || o < highest - maxInFlight)
                throw new BenchmarkFailedException($"{_groupId} has offset {offset?.ToString() ?? "none"} for {CommittedTopic}-{partition}; " +
                    $"the highest acknowledged commit was {highest}.");
        }
        var end = await admin.ListOffsetsAsync([new TopicPartition(ProduceTopic, 0)], OffsetSpec.Latest, cancellationToken);
        long produced = Interlocked.Read(ref _producedRecords);
        if (end.Values.Single().Offset != produced)
            throw new BenchmarkFailedException($"{ProduceTopic}-0 ends at {end.Values.Single().Offset}, but {produced} records were acknowledged.");
        Console.Error.WriteLine($"verified: committed offsets match the last commits of {_groupId}; {ProduceTopic}-0 holds all {produced} acknowledged records");
    }

    private void Report(int round, Workload workload, LoadResult result)
    {
        var entry = new JsonObject
        {
            ["kind"] = "rate",
            ["op"] = workload.Operation,
            ["partitions"] = workload.Partitions,
            ["in_flight"] = workload.InFlight,
            ["round"] = round,
            ["requests"] = result.Requests,
            ["seconds"] = Math.Round(result.Seconds, 4),
            ["per_second"] = Math.Round(result.PerSecond, 1),
            ["p50_ms"] = Math.Round(result.P50Ms, 4),
            ["p99_ms"] = Math.Round(result.P99Ms, 4),
            ["max_ms"] = Math.Round(result.MaxMs, 4),
            ["broker_cpu_us_per_request"] = result.BrokerCpuMs is { } ms ? Math.Round(ms * 1000 / result.Requests, 2) : null,
        };
        foreach (var (key, value) in labels) entry[key] = value?.DeepClone();
        log.Write(entry);
        Console.Error.WriteLine($"round {round}: {workload.Operation} x{workload.Partitions} in flight {workload.InFlight}: " +
            $"{result.PerSecond:0} req/s, p50 {result.P50Ms:0.000} ms, p99 {result.P99Ms:0.000} ms");
    }
}
