using Gregor.Protocol;

namespace Gregor.Client.Network;

/// <summary>
/// The versions of each API whose meaning this client handles. This can be narrower than what the
/// generated messages can encode: a version is listed only once the code using it copes with its
/// semantics (e.g. OffsetFetch from v2, where a null topic list means "every partition").
/// </summary>
public static class ClientApiVersions
{
    private static readonly Dictionary<ApiKey, (short Min, short Max)> Ranges = new()
    {
        [ApiKey.Metadata] = (1, 12),
        [ApiKey.ListOffsets] = (1, 10),
        [ApiKey.OffsetCommit] = (2, 9),
        [ApiKey.OffsetFetch] = (2, 9),
        [ApiKey.FindCoordinator] = (0, 6),
        [ApiKey.DescribeGroups] = (0, 5),
        [ApiKey.ListGroups] = (0, 5),
        [ApiKey.ApiVersions] = (0, 4),
        [ApiKey.DeleteGroups] = (0, 2),
        [ApiKey.OffsetDelete] = (0, 0),
        // The consumer. Fetch stops at 12: v13 names topics by id only. JoinGroup from v4 (MEMBER_ID_REQUIRED), LeaveGroup v3+ batches members.
        [ApiKey.Fetch] = (4, 12),
        [ApiKey.JoinGroup] = (4, 9),
        [ApiKey.SyncGroup] = (0, 5),
        [ApiKey.Heartbeat] = (0, 4),
        [ApiKey.LeaveGroup] = (0, 5),
        [ApiKey.CreateTopics] = (2, 7),
        [ApiKey.DeleteTopics] = (1, 6),
        [ApiKey.CreatePartitions] = (0, 3),
        [ApiKey.DescribeConfigs] = (1, 4),
        [ApiKey.AlterConfigs] = (0, 2),
        [ApiKey.IncrementalAlterConfigs] = (0, 1),
        [ApiKey.DeleteRecords] = (0, 2),
        [ApiKey.DescribeLogDirs] = (0, 4),
        // The producer. Produce from 3 (record batches v2 only); InitProducerId to 4, the last version whose answer it reads in full.
        [ApiKey.Produce] = (3, 11),
        [ApiKey.InitProducerId] = (0, 4),
    };

    public static bool TryGetRange(ApiKey key, out short min, out short max)
    {
        bool found = Ranges.TryGetValue(key, out var range);
        (min, max) = range;
        return found;
    }
}
