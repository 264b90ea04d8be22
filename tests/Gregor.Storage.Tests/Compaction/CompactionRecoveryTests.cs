using static Gregor.Storage.Tests.Compaction.KeyedRecords;

namespace Gregor.Storage.Tests.Compaction;

/// <summary>
/// A SIGKILL can stop a compaction between any two file operations. These tests lay out the files of
/// each intermediate state of the swap protocol (built from a real log and its real compacted copy)
/// and reopen the log: no key may lose its latest value, no offset may change, and no leftovers stay.
/// </summary>
public sealed class CompactionRecoveryTests : IDisposable
{
    private const string First = "00000000000000000000";
    private readonly TempDirectory _temp = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<StoredRecord> _original;

    public CompactionRecoveryTests()
    {
        var log = PartitionLog.Open(Original, Config);
        long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        Put(log, "only-in-first-segment", "kept", now);
        for (int round = 0; round < 15; round++)
        {
            for (int k = 0; k < 4; k++) Put(log, $"k{k}", $"v{round}", now);
        }
        Put(log, "k0", null, now); // a tombstone within delete.retention.ms: kept
        Put(log, "last", "in the active segment", now);
        _original = ReadAll(log);
        log.Close();

        CopyDirectory(Original, Compacted);
        var compacted = PartitionLog.Open(Compacted, Config);
        Assert.True(compacted.Compact(_clock.GetUtcNow()).Cleaned);
        compacted.Close();
        Assert.NotEqual(File.ReadAllBytes(LogFile(Original, First)), File.ReadAllBytes(LogFile(Compacted, First)));
    }

    public void Dispose() => _temp.Dispose();

    private LogConfig Config => new() { CleanupPolicy = CleanupPolicy.Compact, SegmentBytes = 400, Clock = _clock };
    private string Original => _temp.Partition("original-0");
    private string Compacted => _temp.Partition("compacted-0");
    private string Crashed => _temp.Partition("crashed-0");

    private static string LogFile(string directory, string baseName) => Path.Combine(directory, baseName + ".log");

    [Fact]
    public void An_unfinished_cleaned_copy_is_discarded()
    {
        CopyDirectory(Original, Crashed);
        byte[] copy = File.ReadAllBytes(LogFile(Compacted, First));
        File.WriteAllBytes(LogFile(Crashed, First) + ".cleaned", copy[..(copy.Length / 2)]);

        var records = Reopen();

        Assert.Equal(_original, records);
        AssertNoLeftovers();
    }

    [Fact]
    public void A_committed_swap_with_the_old_segment_still_in_place_is_completed()
    {
        CopyDirectory(Original, Crashed);
        File.Copy(LogFile(Compacted, First), LogFile(Crashed, First) + ".swap");

        AssertConsistent(Reopen());
        Assert.Equal(File.ReadAllBytes(LogFile(Compacted, First)), File.ReadAllBytes(LogFile(Crashed, First)));
        AssertNoLeftovers();
    }

    [Fact]
    public void A_committed_swap_with_the_old_segment_renamed_away_is_completed()
    {
        CopyDirectory(Original, Crashed);
        File.Copy(LogFile(Compacted, First), LogFile(Crashed, First) + ".swap");
        foreach (string extension in new[] { ".log", ".index", ".timeindex" })
        {
            string path = Path.Combine(Crashed, First + extension);
            if (File.Exists(path)) File.Move(path, path + ".deleted");
        }

        AssertConsistent(Reopen());
        Assert.Equal(File.ReadAllBytes(LogFile(Compacted, First)), File.ReadAllBytes(LogFile(Crashed, First)));
        AssertNoLeftovers();
    }

    [Fact]
    public void A_swap_renamed_into_place_before_its_indexes_were_written_is_rebuilt()
    {
        CopyDirectory(Original, Crashed);
        File.Move(LogFile(Crashed, First), LogFile(Crashed, First) + ".deleted");
        File.Delete(Path.Combine(Crashed, First + ".index"));
        File.Delete(Path.Combine(Crashed, First + ".timeindex"));
        File.Copy(LogFile(Compacted, First), LogFile(Crashed, First));

        AssertConsistent(Reopen());
        AssertNoLeftovers();
    }

    [Fact]
    public void Any_prefix_of_swapped_segments_is_a_consistent_log()
    {
        var originalSegments = Directory.GetFiles(Original, "*.log").Select(p => Path.GetFileNameWithoutExtension(p)!).Order().ToArray();
        for (int prefix = 0; prefix <= originalSegments.Length; prefix++)
        {
            if (Directory.Exists(Crashed)) Directory.Delete(Crashed, recursive: true);
            CopyDirectory(Original, Crashed);
            foreach (string? baseName in originalSegments.Take(prefix))
            {
                foreach (string extension in new[] { ".log", ".index", ".timeindex" })
                {
                    string target = Path.Combine(Crashed, baseName + extension);
                    string source = Path.Combine(Compacted, baseName + extension);
                    File.Delete(target);
                    if (File.Exists(source)) File.Copy(source, target);
                }
            }
            AssertConsistent(Reopen());
        }
    }

    [Fact]
    public void A_lost_cleaner_checkpoint_only_makes_the_next_pass_redo_the_work()
    {
        CopyDirectory(Compacted, Crashed);
        File.Delete(Path.Combine(Crashed, "cleaner.checkpoint"));
        var log = PartitionLog.Open(Crashed, Config);
        Assert.Equal(0, log.FirstDirtyOffset);
        var before = ReadAll(log);
        Assert.True(log.Compact(_clock.GetUtcNow()).Cleaned);
        Assert.Equal(before, ReadAll(log));
        log.Close();
    }

    private List<StoredRecord> Reopen()
    {
        var log = PartitionLog.Open(Crashed, Config);
        var records = ReadAll(log);
        log.Close();
        return records;
    }

    /// <summary>The latest record of every key is there, and everything there is an original record at its original offset.</summary>
    private void AssertConsistent(List<StoredRecord> records)
    {
        Assert.Equal(LatestByKey(_original), LatestByKey(records));
        Assert.All(records, record => Assert.Contains(record, _original));
    }

    private void AssertNoLeftovers()
    {
        var leftovers = Directory.GetFiles(Crashed).Where(p => p.EndsWith(".cleaned") || p.EndsWith(".swap") || p.EndsWith(".deleted"));
        Assert.Empty(leftovers);
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
    }
}
