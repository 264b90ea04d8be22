using System.Security.Cryptography;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Backup;

/// <summary>What <see cref="BackupVerifier"/> found: every problem as one sentence; none means the backup is sound.</summary>
public sealed record VerifyReport(BackupManifest Manifest, IReadOnlyList<string> Problems, int ChunksChecked, long BytesChecked)
{
    public bool IsSound => Problems.Count == 0;
}

/// <summary>
/// Checks a backup without touching any broker: every chunk file is present with its recorded size and
/// SHA-256, holds whole batches with valid CRCs covering exactly the offsets the manifest says, chunks
/// of a partition do not overlap, and group offsets name topics the backup holds.
/// </summary>
public static class BackupVerifier
{
    public static VerifyReport Verify(string directory, Action<ProgressUpdate>? progress = null)
    {
        BackupManifest manifest = ManifestStore.Read(directory);
        var problems = new List<string>();
        long total = manifest.Topics.Sum(t => t.Partitions.Sum(p => p.Chunks.Sum(c => c.Bytes))), done = 0;
        int chunks = 0;
        foreach (TopicBackup topic in manifest.Topics)
        {
            if (topic.Partitions.Count != topic.PartitionCount)
                problems.Add($"topic '{topic.Name}' claims {topic.PartitionCount} partitions but the manifest lists {topic.Partitions.Count}.");
            foreach (PartitionBackup partition in topic.Partitions)
            {
                string where = $"{topic.Name}-{partition.Partition}";
                long previousEnd = partition.StartOffset;
                foreach (ChunkFile chunk in partition.Chunks.OrderBy(c => c.FirstOffset))
                {
                    if (chunk.FirstOffset < previousEnd && !(chunk == partition.Chunks[0] && chunk.FirstOffset < partition.StartOffset))
                        problems.Add($"{where}: chunk {chunk.Path} starts at {chunk.FirstOffset}, inside the previous chunk (which ends at {previousEnd}).");
                    if (chunk.FirstOffset > previousEnd && partition.Dense)
                        problems.Add($"{where}: offsets {previousEnd}-{chunk.FirstOffset - 1} are in no chunk although the partition is marked dense.");
                    previousEnd = chunk.EndOffset;
                    CheckChunk(directory, where, chunk, problems);
                    chunks++;
                    done += chunk.Bytes;
                    progress?.Invoke(new ProgressUpdate(chunk.Path, done, total));
                }
                if (previousEnd > partition.EndOffset)
                    problems.Add($"{where}: the chunks reach offset {previousEnd}, past the partition's end {partition.EndOffset}.");
                if (partition.Dense && partition.Chunks.Count > 0 && previousEnd != partition.EndOffset)
                    problems.Add($"{where}: the chunks end at {previousEnd}, not at the partition's end {partition.EndOffset}.");
            }
        }
        foreach (GroupBackup group in manifest.Groups)
            foreach (GroupOffset offset in group.Offsets)
                if (!manifest.Topics.Any(t => t.Name == offset.Topic && t.Partitions.Any(p => p.Partition == offset.Partition)))
                    problems.Add($"group '{group.GroupId}' has an offset for {offset.Topic}-{offset.Partition}, which the backup does not hold.");
        return new VerifyReport(manifest, problems, chunks, done);
    }

    /// <summary>Reads a chunk that passed verification; a <see cref="BackupFormatException"/> if it changed since.</summary>
    public static byte[] ReadChunk(string directory, ChunkFile chunk)
    {
        string path = FullPath(directory, chunk);
        byte[] bytes = File.Exists(path) ? File.ReadAllBytes(path) : throw new BackupFormatException($"chunk {chunk.Path} is missing.");
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != chunk.Sha256)
            throw new BackupFormatException($"chunk {chunk.Path} does not match its SHA-256 in the manifest.");
        return bytes;
    }

    private static void CheckChunk(string directory, string where, ChunkFile chunk, List<string> problems)
    {
        string path = FullPath(directory, chunk);
        if (!File.Exists(path))
        {
            problems.Add($"{where}: chunk {chunk.Path} is missing.");
            return;
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.LongLength != chunk.Bytes)
            problems.Add($"{where}: chunk {chunk.Path} has {bytes.LongLength} bytes, the manifest says {chunk.Bytes}.");
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != chunk.Sha256)
        {
            problems.Add($"{where}: chunk {chunk.Path} does not match its SHA-256 in the manifest (the file was changed or damaged).");
            return;
        }

        int batches = 0;
        long first = -1, end = -1;
        var walker = new RecordBatchEnumerator(bytes);
        while (walker.MoveNext())
        {
            RecordBatchHeader header = walker.Current.Header;
            uint crc = RecordBatchHeader.ComputeCrc(bytes.AsSpan(walker.Current.Offset, walker.Current.Length));
            if (crc != header.Crc)
                problems.Add($"{where}: the batch at offset {header.BaseOffset} in {chunk.Path} fails its CRC.");
            if (first < 0) first = header.BaseOffset;
            if (end >= 0 && header.BaseOffset < end)
                problems.Add($"{where}: batches in {chunk.Path} go backwards at offset {header.BaseOffset}.");
            end = header.LastOffset + 1;
            batches++;
        }
        if (walker.BytesConsumed != bytes.Length)
            problems.Add($"{where}: chunk {chunk.Path} ends with {bytes.Length - walker.BytesConsumed} bytes that are not a whole record batch.");
        if (batches != chunk.Batches || first != chunk.FirstOffset || end != chunk.EndOffset)
            problems.Add($"{where}: chunk {chunk.Path} holds {batches} batches over [{first}, {end}), the manifest says {chunk.Batches} over [{chunk.FirstOffset}, {chunk.EndOffset}).");
    }

    private static string FullPath(string directory, ChunkFile chunk)
    {
        if (chunk.Path.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(chunk.Path))
            throw new BackupFormatException($"the manifest names a chunk outside the backup directory: {chunk.Path}.");
        return Path.Combine(directory, chunk.Path);
    }
}
