using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Admin;

public sealed partial class KafkaAdminClient
{
    /// <summary>
    /// The bytes on disk of each partition of <paramref name="topics"/> (every topic when null), summed
    /// over the brokers that hold it (DescribeLogDirs, asked of every broker). Partitions no broker
    /// reports are missing from the answer.
    /// </summary>
    public Task<IReadOnlyDictionary<TopicPartition, long>> DescribePartitionSizesAsync(IEnumerable<string>? topics = null,
        CancellationToken cancellationToken = default)
    {
        List<string>? names = topics?.Distinct().ToList();
        return WithRetriesAsync<IReadOnlyDictionary<TopicPartition, long>>("Reading partition sizes", async token =>
        {
            var sizes = new Dictionary<TopicPartition, long>();
            ClusterMetadata cluster = await DescribeClusterAsync(names, token);
            foreach (BrokerNode broker in cluster.Brokers)
            {
                var connection = await _connections.GetAsync(broker.Address, token);
                short version = connection.Negotiate(ApiKey.DescribeLogDirs);
                var request = new DescribeLogDirsRequest
                {
                    Topics = names?.Select(n => new DescribeLogDirsRequest.DescribableLogDirTopic
                    {
                        Topic = n,
                        Partitions = [.. cluster.Topics.FirstOrDefault(t => t.Name == n)?.Partitions.Select(p => p.Partition) ?? []],
                    }).ToList(),
                };
                var response = await connection.SendAsync<DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, version, request, token);
                ThrowIfError(response.ErrorCode, $"Reading the log directories of broker {broker.NodeId}");
                foreach (var directory in response.Results.Where(d => d.ErrorCode == (short)ErrorCode.None))
                    foreach (var topic in directory.Topics)
                        foreach (var partition in topic.Partitions.Where(p => !p.IsFutureKey))
                        {
                            var key = new TopicPartition(topic.Name, partition.PartitionIndex);
                            sizes[key] = sizes.GetValueOrDefault(key) + partition.PartitionSize;
                        }
            }
            return sizes;
        }, cancellationToken);
    }
}
