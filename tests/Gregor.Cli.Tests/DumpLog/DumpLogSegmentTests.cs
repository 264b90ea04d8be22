using System.Security.Cryptography;
using System.Text.Json;
using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Tests.DumpLog;

/// <summary><c>gregor dump-log</c> on segments written by the real storage: batches, records, text and JSON, read-only.</summary>
public sealed class DumpLogSegmentTests : IDisposable
{
    private readonly SampleLog _log = SampleLog.Create();

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task JsonListsEveryBatchWithOffsetsCountsAndProducerFields()
    {
        var run = await DumpLogRun.RunAsync(_log.Directory, "--json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Describe());
        Assert.Empty(run.Error);
        var batches = run.Batches();
        Assert.Equal(SampleLog.Batches.Length, batches.Length);
        Assert.True(_log.Files(".log").Length >= 2, "the sample should span several segments");
        long expectedBase = 0;
        for (int i = 0; i < batches.Length; i++)
        {
            var spec = SampleLog.Batches[i];
            var batch = batches[i];
            Assert.Equal(expectedBase, batch.GetProperty("baseOffset").GetInt64());
            Assert.Equal(expectedBase + spec.Records - 1, batch.GetProperty("lastOffset").GetInt64());
            Assert.Equal(spec.Records, batch.GetProperty("count").GetInt32());
            Assert.Equal(spec.ProducerId, batch.GetProperty("producerId").GetInt64());
            Assert.Equal(spec.Epoch, batch.GetProperty("producerEpoch").GetInt32());
            Assert.Equal(spec.BaseSequence, batch.GetProperty("baseSequence").GetInt32());
            Assert.Equal(spec.BaseSequence < 0 ? -1 : spec.BaseSequence + spec.Records - 1, batch.GetProperty("lastSequence").GetInt32());
            Assert.Equal(spec.Compression.ToString().ToLowerInvariant(), batch.GetProperty("compression").GetString());
            Assert.Equal(3, batch.GetProperty("partitionLeaderEpoch").GetInt32());
            Assert.Equal("CreateTime", batch.GetProperty("timestampType").GetString());
            Assert.Equal(SampleLog.FirstTimestamp + expectedBase + spec.Records - 1, batch.GetProperty("maxTimestamp").GetInt64());
            Assert.False(batch.GetProperty("isTransactional").GetBoolean());
            Assert.False(batch.GetProperty("isControl").GetBoolean());
            Assert.True(batch.GetProperty("isValid").GetBoolean());
            Assert.Equal(JsonValueKind.Null, batch.GetProperty("records").ValueKind);
            expectedBase += spec.Records;
        }
        Assert.All(run.Files(), f => Assert.True(f.GetProperty("valid").GetBoolean()));
    }

    [Fact]
    public async Task PositionsAndSizesTileEachSegment()
    {
        var run = await DumpLogRun.RunAsync([.. _log.Files(".log"), "--json"]);

        foreach (var file in run.Files())
        {
            long next = 0;
            foreach (var batch in file.GetProperty("batches").EnumerateArray())
            {
                Assert.Equal(next, batch.GetProperty("position").GetInt64());
                next += batch.GetProperty("size").GetInt32();
            }
            Assert.Equal(new FileInfo(file.GetProperty("path").GetString()!).Length, next);
            Assert.Equal(next, file.GetProperty("sizeBytes").GetInt64());
        }
    }

    [Fact]
    public async Task RecordsShowTextAsUtf8AndBinaryAsBase64IncludingCompressedBatches()
    {
        var run = await DumpLogRun.RunAsync(_log.Directory, "--json", "--records");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Describe());
        var records = run.Batches().SelectMany(b => b.GetProperty("records").EnumerateArray()).ToArray();
        Assert.Equal(SampleLog.TotalRecords, records.Length);
        for (long offset = 0; offset < records.Length; offset++)
        {
            var record = records[offset];
            Assert.Equal(offset, record.GetProperty("offset").GetInt64());
            Assert.Equal(SampleLog.FirstTimestamp + offset, record.GetProperty("timestamp").GetInt64());
            byte[]? key = SampleLog.Key(offset);
            if (key is null)
            {
                Assert.Equal(JsonValueKind.Null, record.GetProperty("key").ValueKind);
                Assert.Equal(-1, record.GetProperty("keySize").GetInt32());
            }
            else
            {
                Assert.Equal($"key-{offset}", record.GetProperty("key").GetString());
                Assert.Equal("utf8", record.GetProperty("keyEncoding").GetString());
            }
            byte[] value = SampleLog.Value(offset);
            bool binary = offset % 3 == 0;
            Assert.Equal(binary ? Convert.ToBase64String(value) : $"value \"{offset}\"", record.GetProperty("value").GetString());
            Assert.Equal(binary ? "base64" : "utf8", record.GetProperty("valueEncoding").GetString());
            Assert.Equal(value.Length, record.GetProperty("valueSize").GetInt32());
            var header = Assert.Single(record.GetProperty("headers").EnumerateArray());
            Assert.Equal("n", header.GetProperty("key").GetString());
            Assert.Equal(offset.ToString(), header.GetProperty("value").GetString());
        }
    }

    [Fact]
    public async Task TextIsAnAlignedTablePerSegmentWithASummary()
    {
        string segment = _log.Files(".log")[0];
        var run = await DumpLogRun.RunAsync(segment);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Describe());
        string[] lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal($"== {segment} (segment, base offset 0, {new FileInfo(segment).Length} bytes)", lines[0]);
        Assert.StartsWith("BASE-OFFSET  LAST-OFFSET  COUNT  POSITION", lines[1]);
        int validColumn = lines[1].IndexOf("VALID", StringComparison.Ordinal);
        Assert.Matches(@"^0\s+2\s+3\s+0\s", lines[2]);
        Assert.Equal("yes", lines[2][validColumn..]);
        Assert.Matches(@"^\d+ batches, \d+ records, offsets 0\.\.\d+; every CRC valid\.$", lines[^1]);
    }

    [Fact]
    public async Task TextRecordsQuoteTextAndMarkBase64()
    {
        var run = await DumpLogRun.RunAsync(_log.Files(".log")[0], "--records");

        Assert.Contains($"  | offset: 0  timestamp: {SampleLog.FirstTimestamp}  key: \"key-0\"  value: base64:{Convert.ToBase64String(SampleLog.Value(0))}  headers: [n=\"0\"]", run.Out);
        Assert.Contains($"  | offset: 1  timestamp: {SampleLog.FirstTimestamp + 1}  key: null  value: \"value \\\"1\\\"\"  headers: [n=\"1\"]", run.Out);
    }

    [Fact]
    public async Task DirectoryOrderIsByOffsetThenSegmentIndexTimeIndexSnapshotThenOtherFiles()
    {
        var run = await DumpLogRun.RunAsync(_log.Directory, "--json");

        var kinds = run.Files().Select(f => (Kind: f.GetProperty("kind").GetString(), Base: f.GetProperty("baseOffset"))).ToArray();
        var known = kinds.TakeWhile(k => k.Kind != "other").ToArray();
        Assert.Equal(new[] { "log", "index", "timeindex" }, known.Take(3).Select(k => k.Kind));
        Assert.Contains(known, k => k.Kind == "snapshot");
        Assert.All(kinds.SkipWhile(k => k.Kind != "other"), k => Assert.Equal("other", k.Kind));
        Assert.Contains(run.Files(), f => f.GetProperty("path").GetString()!.EndsWith("partition.checkpoint", StringComparison.Ordinal)
            && f.GetProperty("note").GetString() == "not decoded.");
    }

    [Fact]
    public async Task ProducerSnapshotsAreDecoded()
    {
        var run = await DumpLogRun.RunAsync(_log.Directory, "--json");

        var snapshot = run.Files().Last(f => f.GetProperty("kind").GetString() == "snapshot");
        Assert.Equal(SampleLog.TotalRecords, snapshot.GetProperty("baseOffset").GetInt64());
        var producer = Assert.Single(snapshot.GetProperty("producers").EnumerateArray());
        Assert.Equal(7, producer.GetProperty("producerId").GetInt64());
        Assert.Equal(1, producer.GetProperty("producerEpoch").GetInt32());
        var batches = producer.GetProperty("batches").EnumerateArray().ToArray();
        Assert.Equal(new[] { (0, 1, 3L, 4L), (2, 5, 5L, 8L) }, batches.Select(b => (b.GetProperty("firstSequence").GetInt32(),
            b.GetProperty("lastSequence").GetInt32(), b.GetProperty("firstOffset").GetInt64(), b.GetProperty("lastOffset").GetInt64())));
    }

    [Fact]
    public async Task UnknownFilesAreListedAsNotDecodedWithoutFailing()
    {
        File.WriteAllText(Path.Combine(_log.Directory, "notes.txt"), "hello");

        var run = await DumpLogRun.RunAsync(_log.Directory);

        Assert.True(run.ExitCode == ExitCodes.Success, run.Describe());
        Assert.Contains($"== {Path.Combine(_log.Directory, "notes.txt")} (file, 5 bytes) — not decoded.", run.Out);
    }

    [Fact]
    public async Task NothingInTheDirectoryChanges()
    {
        var before = Fingerprint(_log.Directory);

        await DumpLogRun.RunAsync(_log.Directory, "--records", "--verify");
        await DumpLogRun.RunAsync(_log.Directory, "--json", "--records", "--verify");

        Assert.Equal(before, Fingerprint(_log.Directory));
    }

    private static Dictionary<string, (string Hash, DateTime Written)> Fingerprint(string directory) =>
        Directory.GetFiles(directory).ToDictionary(f => f, f => (Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), File.GetLastWriteTimeUtc(f)));
}
