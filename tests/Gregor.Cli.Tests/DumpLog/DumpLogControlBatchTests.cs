using System.Buffers.Binary;
using System.Text.Json;
using Gregor.Cli.CommandLine;
using Gregor.Protocol.Records;
using Gregor.Storage;

namespace Gregor.Cli.Tests.DumpLog;

/// <summary>Transactional data and a commit marker, written by the real storage, show their flags and the marker's type.</summary>
public sealed class DumpLogControlBatchTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gregor-dumplog-" + Guid.NewGuid().ToString("N")[..12], "txn-0");

    public void Dispose()
    {
        string root = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task TransactionalAndControlFlagsAndTheCommitMarkerAreShown()
    {
        var log = PartitionLog.Open(_directory, new LogConfig { FlushMode = FlushMode.PageCache });
        try
        {
            using var data = new RecordBatchBuilder { ProducerId = 42, ProducerEpoch = 0, BaseSequence = 0, IsTransactional = true };
            data.Append(1_000, null, "in-txn"u8.ToArray());
            log.Append(data.ToArray(), leaderEpoch: 0);

            byte[] markerKey = new byte[4];
            BinaryPrimitives.WriteInt16BigEndian(markerKey.AsSpan(2), 1); // version 0, type 1 = COMMIT
            byte[] markerValue = new byte[6]; // version 0, coordinator epoch 0
            using var marker = new RecordBatchBuilder { ProducerId = 42, ProducerEpoch = 0, IsTransactional = true, IsControl = true };
            marker.Append(1_001, markerKey, markerValue);
            log.Append(marker.ToArray(), leaderEpoch: 0);
        }
        finally
        {
            log.Close();
        }

        var run = await DumpLogRun.RunAsync(_directory, "--json", "--records");

        Assert.True(run.ExitCode == ExitCodes.Success, run.Describe());
        var batches = run.Batches();
        Assert.Equal(2, batches.Length);
        Assert.True(batches[0].GetProperty("isTransactional").GetBoolean());
        Assert.False(batches[0].GetProperty("isControl").GetBoolean());
        Assert.Equal(JsonValueKind.Null, batches[0].GetProperty("records")[0].GetProperty("controlType").ValueKind);
        Assert.True(batches[1].GetProperty("isTransactional").GetBoolean());
        Assert.True(batches[1].GetProperty("isControl").GetBoolean());
        Assert.Equal("COMMIT", batches[1].GetProperty("records")[0].GetProperty("controlType").GetString());
        Assert.Equal(42, batches[1].GetProperty("producerId").GetInt64());
    }
}
