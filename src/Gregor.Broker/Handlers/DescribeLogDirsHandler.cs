using Gregor.Broker.Metadata;
using Gregor.Broker.Partitions;
using Gregor.Broker.Topics;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Broker.Handlers;

/// <summary>
/// DescribeLogDirs (key 35): the size on disk of each partition in the broker's one data directory.
/// A null topic list means every partition; named topics or partitions this broker lacks are left
/// out, as Kafka does. Sizes are whole segment files, indexes excluded.
/// </summary>
internal sealed class DescribeLogDirsHandler(TopicManager topics, PartitionRegistry partitions, string dataDirectory)
    : ApiHandler<DescribeLogDirsRequest, DescribeLogDirsResponse>
{
    public override ApiKey Key => ApiKey.DescribeLogDirs;
    public override short MinVersion => 0;
    public override short MaxVersion => 4;

    protected override ValueTask<DescribeLogDirsResponse?> HandleAsync(RequestContext context, DescribeLogDirsRequest request)
    {
        var directory = new DescribeLogDirsResponse.DescribeLogDirsResult { LogDir = dataDirectory };
        (directory.TotalBytes, directory.UsableBytes) = DiskSpace();
        IEnumerable<(string Topic, IEnumerable<int>? Wanted)> selection = request.Topics is null
            ? topics.Topics.Select(t => (t.Name, (IEnumerable<int>?)null))
            : request.Topics.Select(t => (t.Topic, (IEnumerable<int>?)t.Partitions));
        foreach (var (topic, wanted) in selection)
        {
            var answer = new DescribeLogDirsResponse.DescribeLogDirsTopic { Name = topic };
            TopicMetadata? metadata = topics.Find(topic);
            if (metadata is null) continue;
            foreach (int index in wanted ?? Enumerable.Range(0, metadata.PartitionCount))
            {
                if (partitions.Get(topic, index) is not { } partition) continue;
                answer.Partitions.Add(new DescribeLogDirsResponse.DescribeLogDirsPartition
                {
                    PartitionIndex = index,
                    PartitionSize = partition.Log.SizeInBytes,
                });
            }
            if (answer.Partitions.Count > 0) directory.Topics.Add(answer);
        }
        return new(new DescribeLogDirsResponse { Results = [directory] });
    }

    private (long Total, long Usable) DiskSpace()
    {
        try
        {
            var drive = new DriveInfo(dataDirectory);
            return (drive.TotalSize, drive.AvailableFreeSpace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (-1, -1); // "unknown", as the schema's default says
        }
    }
}
