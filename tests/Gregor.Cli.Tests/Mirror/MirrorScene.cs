using System.Text;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Mirror;
using Gregor.Cli.Tests.Groups;
using Gregor.Client;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Records;
using Record = Gregor.Protocol.Records.Record;

namespace Gregor.Cli.Tests.Mirror;

/// <summary>Two real in-process brokers, a source and a target, and ways to write, read and mirror between them.</summary>
internal sealed class MirrorScene : IAsyncDisposable
{
    private MirrorScene(GroupsTestBroker source, GroupsTestBroker target)
    {
        Source = source;
        Target = target;
    }

    public GroupsTestBroker Source { get; }
    public GroupsTestBroker Target { get; }

    public static async Task<MirrorScene> StartAsync() =>
        new(await GroupsTestBroker.StartAsync(), await GroupsTestBroker.StartAsync());

    /// <summary>Runs <c>gregor mirror --from SOURCE --to TARGET ARGS</c> in-process.</summary>
    public Task<CliRun> MirrorAsync(params string[] args) => MirrorAsync(CancellationToken.None, args);

    public async Task<CliRun> MirrorAsync(CancellationToken stop, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        int exitCode = await CliApplication.RunAsync(["mirror", "--from", Source.BootstrapServer, "--to", Target.BootstrapServer, .. args],
            new CliConsole(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr)), deadline.Token);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>One batch of records "key-i" / "value-P-i-TAG" with a header and distinct timestamps.</summary>
    public async Task ProduceAsync(string topic, int partition, int count, string tag, CompressionType compression = CompressionType.None)
    {
        using var builder = new RecordBatchBuilder(compression);
        long start = 1_700_000_000_000 + partition * 1_000_000;
        for (int i = 0; i < count; i++)
            builder.Append(start + i, i % 3 == 0 ? null : Encoding.UTF8.GetBytes($"key-{i}"), Encoding.UTF8.GetBytes($"value-{partition}-{i}-{tag}"),
                [new RecordHeader("trace", Encoding.UTF8.GetBytes($"t{i}")), new RecordHeader("empty", null)]);
        var connection = await Source.ConnectAsync();
        var response = await connection.SendAsync<ProduceResponse>(ApiKey.Produce, 8, new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = builder.ToArray() }] }],
        });
        Assert.Equal(0, response.Responses.Single().PartitionResponses.Single().ErrorCode);
    }

    /// <summary><paramref name="count"/> records "padded-P-i" of <paramref name="valueBytes"/> bytes each, 100 to a batch.</summary>
    public async Task ProducePaddedAsync(string topic, int partition, int count, int valueBytes)
    {
        var connection = await Source.ConnectAsync();
        for (int first = 0; first < count; first += 100)
        {
            using var builder = new RecordBatchBuilder(CompressionType.None);
            for (int i = first; i < Math.Min(count, first + 100); i++)
            {
                byte[] value = new byte[valueBytes];
                Array.Fill(value, (byte)'.');
                Encoding.UTF8.GetBytes($"padded-{partition}-{i}").CopyTo(value, 0);
                builder.Append(1_700_000_000_000 + i, null, value, []);
            }
            var response = await connection.SendAsync<ProduceResponse>(ApiKey.Produce, 8, new ProduceRequest
            {
                Acks = -1,
                TimeoutMs = 10_000,
                TopicData = [new ProduceRequest.TopicProduceData { Name = topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = builder.ToArray() }] }],
            });
            Assert.Equal(0, response.Responses.Single().PartitionResponses.Single().ErrorCode);
        }
    }

    /// <summary>One record written straight to a broker, as another producer (or a killed mirror's late batch) would.</summary>
    public static async Task AppendAsync(GroupsTestBroker broker, string topic, int partition, string value, params RecordHeader[] headers)
    {
        using var builder = new RecordBatchBuilder(CompressionType.None);
        builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, Encoding.UTF8.GetBytes(value), headers);
        var connection = await broker.ConnectAsync();
        var response = await connection.SendAsync<ProduceResponse>(ApiKey.Produce, 8, new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new ProduceRequest.TopicProduceData { Name = topic, PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = builder.ToArray() }] }],
        });
        Assert.Equal(0, response.Responses.Single().PartitionResponses.Single().ErrorCode);
    }

    /// <summary>Every record of a partition, in offset order.</summary>
    public static async Task<List<Record>> ReadAsync(GroupsTestBroker broker, string topic, int partition)
    {
        var connection = await broker.ConnectAsync();
        var records = new List<Record>();
        long next = 0;
        while (true)
        {
            var response = await connection.SendAsync<FetchResponse>(ApiKey.Fetch, 11, new FetchRequest
            {
                MaxWaitMs = 0,
                MaxBytes = 1 << 20,
                Topics = [new FetchRequest.FetchTopic { Topic = topic, Partitions = [new FetchRequest.FetchPartition { Partition = partition, FetchOffset = next, PartitionMaxBytes = 1 << 20 }] }],
            });
            var data = response.Responses.Single().Partitions.Single();
            Assert.Equal(0, data.ErrorCode);
            int before = records.Count;
            foreach (DecodedRecordBatch batch in RecordBatchReader.ReadAll(data.Records ?? ReadOnlyMemory<byte>.Empty))
                foreach (Record record in batch.Records)
                    if (record.Offset >= next)
                    {
                        records.Add(record);
                        next = record.Offset + 1;
                    }
            if (records.Count == before) return records;
        }
    }

    /// <summary>Key, value, timestamp and headers (the mirror's own header left out) as one comparable line.</summary>
    public static string Describe(Record record) =>
        $"{Text(record.Key)}|{Text(record.Value)}|{record.Timestamp}|" +
        string.Join(",", record.Headers.Where(h => h.Key != MirrorHeader.Name).Select(h => $"{h.Key}={Text(h.Value)}"));

    private static string Text(ReadOnlyMemory<byte>? bytes) => bytes is { } b ? Encoding.UTF8.GetString(b.Span) : "<null>";

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        await Target.DisposeAsync();
    }
}
