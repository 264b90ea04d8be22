using System.Diagnostics;
using Gregor.Protocol;

namespace Gregor.Client.Producer;

public sealed partial class KafkaProducer
{
    /// <summary>
    /// Waits (up to max.block.ms) until the topic's partitions are known, creating the topic when
    /// allow.auto.create.topics permits, and until an explicit partition exists.
    /// </summary>
    private async Task<TopicState> WaitForMetadataAsync(string topic, int? partition, long started, CancellationToken cancellationToken)
    {
        TopicState state = _accumulator.Topic(topic);
        string? problem = null;
        bool first = true;
        while (true)
        {
            if (state.HasMetadata && (partition is null || partition < state.Partitions.Length)) return state;
            TimeSpan left = _maxBlock - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero && !first) break;
            if (!first)
            {
                _cluster.MarkStale(topic);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(_config.RetryBackoffMs, left.TotalMilliseconds)), cancellationToken);
            }
            first = false;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            try
            {
                var metadata = await _cluster.TopicAsync(topic, _config.AllowAutoCreateTopics, deadline.Token);
                switch (metadata.Error)
                {
                    case ErrorCode.None when metadata.Partitions.Count > 0:
                        state.Apply(metadata);
                        if (partition is { } p && p >= state.Partitions.Length)
                            problem = $"partition {p} does not exist; {topic} has {state.Partitions.Length}";
                        continue;
                    case ErrorCode.None:
                    case ErrorCode.UnknownTopicOrPartition:
                    case ErrorCode.LeaderNotAvailable:
                        problem = metadata.Error == ErrorCode.UnknownTopicOrPartition && !_config.AllowAutoCreateTopics
                            ? "the topic does not exist and allow.auto.create.topics is false"
                            : $"the broker answered {metadata.Error.ToKafkaName()}";
                        continue;
                    default:
                        throw KafkaErrorException.From(metadata.Error, $"Cannot produce to {topic}");
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                problem ??= "no metadata answer arrived";
            }
            catch (KafkaException e) when (e is not KafkaErrorException)
            {
                problem = e.Message.TrimEnd('.');
            }
        }
        if (partition is { } wanted && state.HasMetadata)
            throw new KafkaErrorException(ErrorCode.UnknownTopicOrPartition,
                $"Cannot produce to partition {wanted} of {topic}: it has {state.Partitions.Length} partitions (waited max.block.ms, {_config.MaxBlockMs} ms).");
        throw new KafkaTimeoutException(
            $"The partitions of {topic} were not known within max.block.ms ({_config.MaxBlockMs} ms): {problem ?? "no metadata"}.");
    }
}
