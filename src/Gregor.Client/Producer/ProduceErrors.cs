using Gregor.Protocol;

namespace Gregor.Client.Producer;

/// <summary>Which Produce errors are worth a retry, and which mean the metadata (the leader) is out of date — as in Kafka's client.</summary>
internal static class ProduceErrors
{
    public static bool IsRetriable(ErrorCode error) => error is
        ErrorCode.NotLeaderOrFollower or ErrorCode.UnknownTopicOrPartition or ErrorCode.LeaderNotAvailable
        or ErrorCode.RequestTimedOut or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend
        or ErrorCode.NetworkException or ErrorCode.KafkaStorageError or ErrorCode.CorruptMessage
        or ErrorCode.BrokerNotAvailable or ErrorCode.ReplicaNotAvailable or ErrorCode.FencedLeaderEpoch
        or ErrorCode.UnknownLeaderEpoch or ErrorCode.OffsetNotAvailable or ErrorCode.ThrottlingQuotaExceeded
        or ErrorCode.UnknownServerError;

    public static bool InvalidatesMetadata(ErrorCode error) => error is
        ErrorCode.NotLeaderOrFollower or ErrorCode.UnknownTopicOrPartition or ErrorCode.LeaderNotAvailable
        or ErrorCode.NetworkException or ErrorCode.KafkaStorageError or ErrorCode.BrokerNotAvailable
        or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch;
}
