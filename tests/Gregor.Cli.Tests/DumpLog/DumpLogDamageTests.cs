using System.Buffers.Binary;
using System.Text.Json;
using Gregor.Cli.CommandLine;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Tests.DumpLog;

/// <summary>Damaged copies of a real partition directory: flipped bytes, cut files and wrong index entries are reported, and the exit code says so.</summary>
public sealed class DumpLogDamageTests : IDisposable
{
    private readonly SampleLog _log = SampleLog.Create();

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task AByteFlippedInARecordMarksThatBatchInvalidAndTheRestValid()
    {
        string copy = _log.Copy();
        string segment = Path.Combine(copy, "00000000000000000000.log");
        // The first batch's records start after its 61-byte header.
        FlipByte(segment, RecordBatchHeader.Size + 5);

        var run = await DumpLogRun.RunAsync(copy, "--json");

        Assert.True(run.ExitCode == ExitCodes.Failure, run.Describe());
        Assert.Equal("gregor dump-log: 1 of", run.Error[..21]);
        var batches = run.Batches();
        Assert.Equal(SampleLog.Batches.Length, batches.Length);
        Assert.False(batches[0].GetProperty("isValid").GetBoolean());
        Assert.NotEqual(batches[0].GetProperty("crc").GetUInt32(), batches[0].GetProperty("computedCrc").GetUInt32());
        Assert.Contains("does not match the stored", batches[0].GetProperty("problem").GetString());
        Assert.All(batches[1..], b => Assert.True(b.GetProperty("isValid").GetBoolean()));
        Assert.False(run.Files()[0].GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task AFlippedByteShowsInTextAsValidNoAndAProblemLine()
    {
        string copy = _log.Copy();
        string segment = Path.Combine(copy, "00000000000000000000.log");
        FlipByte(segment, RecordBatchHeader.Size + 5);

        var run = await DumpLogRun.RunAsync(segment, "--records");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("; 1 invalid.", run.Out);
        Assert.Matches(@"(?m)^PROBLEM: batch at position 0 \(offsets 0\.\.2\): CRC [0-9a-f]{8} computed over the batch does not match the stored [0-9a-f]{8}\.\r?$", run.Out);
        Assert.DoesNotContain("| offset: 0 ", run.Out);
        Assert.Contains("| offset: 3 ", run.Out);
    }

    [Fact]
    public async Task ATruncatedSegmentListsTheWholeBatchesAndNamesWhereTheCutOneStarts()
    {
        string copy = _log.Copy();
        string segment = Path.Combine(copy, "00000000000000000000.log");
        var whole = await DumpLogRun.RunAsync(segment, "--json");
        var lastBatch = whole.Batches()[^1];
        long cutAt = lastBatch.GetProperty("position").GetInt64() + 20;
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write)) file.SetLength(cutAt);

        var run = await DumpLogRun.RunAsync(segment, "--json");

        Assert.True(run.ExitCode == ExitCodes.Failure, run.Describe());
        var report = Assert.Single(run.Files());
        Assert.Equal(whole.Batches().Length - 1, report.GetProperty("batches").GetArrayLength());
        Assert.Equal($"truncated batch at position {cutAt - 20}: only 20 bytes are left, fewer than the 61 of a batch header.",
            Assert.Single(report.GetProperty("problems").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task ABatchCutInItsRecordsIsReportedWithTheBytesMissing()
    {
        string copy = _log.Copy();
        string segment = Path.Combine(copy, "00000000000000000000.log");
        long size = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write)) file.SetLength(size - 3);

        var run = await DumpLogRun.RunAsync(segment);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Matches(@"PROBLEM: truncated batch at position \d+: it needs \d+ bytes but only \d+ are left\.", run.Out);
    }

    [Fact]
    public async Task ACorruptHeaderStopsThatFileButTheNextFilesAreStillDumped()
    {
        string copy = _log.Copy();
        string segment = Path.Combine(copy, "00000000000000000000.log");
        FlipByte(segment, RecordBatchHeader.MagicOffset);

        var run = await DumpLogRun.RunAsync(copy, "--json");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var files = run.Files();
        Assert.Equal(0, files[0].GetProperty("batches").GetArrayLength());
        Assert.StartsWith("corrupt batch header at position 0: magic ", files[0].GetProperty("problems")[0].GetString());
        Assert.True(files.Count(f => f.GetProperty("kind").GetString() == "log" && f.GetProperty("batches").GetArrayLength() > 0) >= 1);
    }

    [Fact]
    public async Task VerifyAcceptsTheIndexesTheStorageWrote()
    {
        var run = await DumpLogRun.RunAsync(_log.Directory, "--verify", "--json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Describe());
        var indexes = run.Files().Where(f => f.GetProperty("kind").GetString() is "index" or "timeindex").ToArray();
        Assert.NotEmpty(indexes);
        Assert.All(indexes, i => Assert.True(i.GetProperty("verified").GetBoolean()));
        Assert.Contains(indexes, i => i.GetProperty("kind").GetString() == "index" && i.GetProperty("entries").GetArrayLength() > 0);
        Assert.Contains(indexes, i => i.GetProperty("kind").GetString() == "timeindex" && i.GetProperty("entries").GetArrayLength() > 0);
    }

    [Fact]
    public async Task VerifyFindsAnOffsetIndexEntryPointingInsideABatch()
    {
        string copy = _log.Copy();
        string index = Path.Combine(copy, "00000000000000000000.index");
        byte[] bytes = File.ReadAllBytes(index);
        Assert.True(bytes.Length >= 8, "the sample's first segment should have an index entry");
        int position = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), position + 1);
        File.WriteAllBytes(index, bytes);

        var withoutVerify = await DumpLogRun.RunAsync(index);
        var run = await DumpLogRun.RunAsync(index, "--verify");

        Assert.Equal(ExitCodes.Success, withoutVerify.ExitCode);
        Assert.True(run.ExitCode == ExitCodes.Failure, run.Describe());
        Assert.Contains($"PROBLEM: entry 0 (offset 3): position {position + 1} is not where a readable batch starts.", run.Out);
    }

    [Fact]
    public async Task VerifyFindsAnOffsetIndexEntryNamingTheWrongOffset()
    {
        string copy = _log.Copy();
        string index = Path.Combine(copy, "00000000000000000000.index");
        byte[] bytes = File.ReadAllBytes(index);
        BinaryPrimitives.WriteInt32BigEndian(bytes, 4);
        File.WriteAllBytes(index, bytes);

        var run = await DumpLogRun.RunAsync(copy, "--verify");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Matches(@"PROBLEM: entry 0: offset 4 at position \d+, but the batch there starts at offset 3\.", run.Out);
    }

    [Fact]
    public async Task VerifyFindsATimeIndexEntryWithTheWrongTimestamp()
    {
        string copy = _log.Copy();
        string timeIndex = Path.Combine(copy, "00000000000000000000.timeindex");
        byte[] bytes = File.ReadAllBytes(timeIndex);
        long timestamp = BinaryPrimitives.ReadInt64BigEndian(bytes);
        BinaryPrimitives.WriteInt64BigEndian(bytes, timestamp - 1);
        File.WriteAllBytes(timeIndex, bytes);

        var run = await DumpLogRun.RunAsync(timeIndex, "--verify", "--json");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        string problem = Assert.Single(run.Files()).GetProperty("problems")[0].GetString()!;
        Assert.Matches($@"^entry 0: timestamp {timestamp - 1} for offset \d+, but that batch's max timestamp is {timestamp}\.$", problem);
    }

    [Fact]
    public async Task IndexesThatGoBackOrEndInAPartialEntryAreInvalidEvenWithoutVerify()
    {
        string copy = _log.Copy();
        string index = Path.Combine(copy, "00000000000000000000.index");
        byte[] bytes = File.ReadAllBytes(index);
        File.WriteAllBytes(index, [.. bytes, .. bytes, 1, 2, 3]);

        var run = await DumpLogRun.RunAsync(index, "--json");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var problems = Assert.Single(run.Files()).GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToArray();
        Assert.Contains("the file ends with 3 bytes that are not a whole 8-byte entry.", problems);
        Assert.Contains(problems, p => p!.Contains("does not grow past the previous entry's", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADamagedSnapshotIsReportedAsUnreadable()
    {
        string copy = _log.Copy();
        string snapshot = Directory.GetFiles(copy, "*.snapshot").Order(StringComparer.Ordinal).Last();
        FlipByte(snapshot, 10);

        var run = await DumpLogRun.RunAsync(snapshot, "--json");

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith("unreadable producer snapshot: CRC ", Assert.Single(run.Files()).GetProperty("problems")[0].GetString());
    }

    private static void FlipByte(string path, long position)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = position;
        int value = file.ReadByte();
        file.Position = position;
        file.WriteByte((byte)(value ^ 0xFF));
    }
}
