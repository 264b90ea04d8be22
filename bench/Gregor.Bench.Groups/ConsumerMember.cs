using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Bench.Groups;

/// <summary>How a benchmark consumer presents itself to the coordinator.</summary>
internal sealed record MemberSettings(string GroupId, string Topic, int TopicPartitions, int SessionTimeoutMs, int RebalanceTimeoutMs);

/// <summary>
/// One member of a classic consumer group on its own connection, speaking what a Kafka 2.3+ Java
/// consumer speaks (JoinGroup v5, SyncGroup v3, Heartbeat v3, LeaveGroup v3): the two-step join
/// (MEMBER_ID_REQUIRED), the range assignment when it is the leader, SyncGroup, and a rejoin
/// whenever the coordinator says the group is rebalancing.
/// </summary>
internal sealed class ConsumerMember : IAsyncDisposable
{
    public const short JoinGroupVersion = 5, SyncGroupVersion = 3, HeartbeatVersion = 3, LeaveGroupVersion = 3;

    private readonly MemberSettings _settings;
    private readonly byte[] _subscription;

    private ConsumerMember(KafkaConnection connection, MemberSettings settings)
    {
        Connection = connection;
        _settings = settings;
        _subscription = ConsumerProtocol.EncodeSubscription([settings.Topic]);
    }

    public KafkaConnection Connection { get; }
    public string MemberId { get; private set; } = "";
    /// <summary>The generation of the last successful SyncGroup; -1 before.</summary>
    public int Generation { get; private set; } = -1;
    public IReadOnlyList<TopicPartition> Assignment { get; private set; } = [];
    public int JoinRequests { get; private set; }
    public int SyncRequests { get; private set; }

    /// <summary>Awaited once, after the first MEMBER_ID_REQUIRED and before the second JoinGroup (a start barrier for the benchmark).</summary>
    public Func<Task>? OnMemberIdAssigned { get; set; }

    public static async Task<ConsumerMember> ConnectAsync(BrokerAddress broker, MemberSettings settings, string clientId,
        CancellationToken cancellationToken)
    {
        var connection = await KafkaConnection.ConnectAsync(broker, new KafkaClientOptions { ClientId = clientId }, cancellationToken);
        try
        {
            foreach (var (key, version) in new[] { (ApiKey.JoinGroup, JoinGroupVersion), (ApiKey.SyncGroup, SyncGroupVersion),
                         (ApiKey.Heartbeat, HeartbeatVersion), (ApiKey.LeaveGroup, LeaveGroupVersion) })
                connection.Negotiate(key, version, version); // throws with a clear sentence when the broker lacks it
            return new ConsumerMember(connection, settings);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Joins and syncs, rejoining as the coordinator asks, until this member holds an assignment; returns its generation.</summary>
    public async Task<int> JoinAndSyncAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            JoinGroupResponse join = await JoinAsync(cancellationToken);
            switch ((ErrorCode)join.ErrorCode)
            {
                case ErrorCode.None:
                    break;
                case ErrorCode.MemberIdRequired:
                    MemberId = join.MemberId;
                    if (OnMemberIdAssigned is { } assigned)
                    {
                        OnMemberIdAssigned = null;
                        await assigned();
                    }
                    continue;
                case ErrorCode.UnknownMemberId:
                    MemberId = "";
                    continue;
                case ErrorCode.RebalanceInProgress:
                    continue;
                default:
                    throw Failure("JoinGroup", join.ErrorCode);
            }
            MemberId = join.MemberId;
            Dictionary<string, byte[]> assignments = join.Leader == join.MemberId
                ? RangeAssignor.Assign(join.Members, new Dictionary<string, int> { [_settings.Topic] = _settings.TopicPartitions })
                : [];
            SyncGroupResponse sync = await SyncAsync(join.GenerationId, join.ProtocolName ?? "", assignments, cancellationToken);
            switch ((ErrorCode)sync.ErrorCode)
            {
                case ErrorCode.None:
                    Generation = join.GenerationId;
                    Assignment = ConsumerProtocol.DecodeAssignment(sync.Assignment);
                    return Generation;
                case ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration:
                    continue;
                case ErrorCode.UnknownMemberId:
                    MemberId = "";
                    continue;
                default:
                    throw Failure("SyncGroup", sync.ErrorCode);
            }
        }
    }

    /// <summary>One heartbeat: true while the group is stable, false when this member must rejoin.</summary>
    public async Task<bool> HeartbeatAsync(CancellationToken cancellationToken)
    {
        var request = new HeartbeatRequest { GroupId = _settings.GroupId, GenerationId = Generation, MemberId = MemberId };
        var response = await Connection.SendAsync<HeartbeatResponse>(ApiKey.Heartbeat, HeartbeatVersion, request, cancellationToken);
        switch ((ErrorCode)response.ErrorCode)
        {
            case ErrorCode.None:
                return true;
            case ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration:
                return false;
            case ErrorCode.UnknownMemberId:
                MemberId = "";
                return false;
            default:
                throw Failure("Heartbeat", response.ErrorCode);
        }
    }

    /// <summary>Leaves the group as a closing consumer does, so the next round starts without it.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        if (MemberId.Length == 0) return;
        // From v3 a LeaveGroup names its members in a list (the batch form that static members need).
        var request = new LeaveGroupRequest { GroupId = _settings.GroupId, Members = [new LeaveGroupRequest.MemberIdentity { MemberId = MemberId }] };
        var response = await Connection.SendAsync<LeaveGroupResponse>(ApiKey.LeaveGroup, LeaveGroupVersion, request, cancellationToken);
        short error = response.ErrorCode != 0 ? response.ErrorCode : response.Members.Select(m => m.ErrorCode).FirstOrDefault(e => e != 0);
        if (error != 0) throw Failure("LeaveGroup", error);
    }

    private Task<JoinGroupResponse> JoinAsync(CancellationToken cancellationToken)
    {
        JoinRequests++;
        var request = new JoinGroupRequest
        {
            GroupId = _settings.GroupId,
            SessionTimeoutMs = _settings.SessionTimeoutMs,
            RebalanceTimeoutMs = _settings.RebalanceTimeoutMs,
            MemberId = MemberId,
            ProtocolType = ConsumerProtocol.ProtocolType,
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = RangeAssignor.ProtocolName, Metadata = _subscription }],
        };
        return Connection.SendAsync<JoinGroupResponse>(ApiKey.JoinGroup, JoinGroupVersion, request, cancellationToken);
    }

    private Task<SyncGroupResponse> SyncAsync(int generation, string protocol, Dictionary<string, byte[]> assignments,
        CancellationToken cancellationToken)
    {
        SyncRequests++;
        var request = new SyncGroupRequest
        {
            GroupId = _settings.GroupId,
            GenerationId = generation,
            MemberId = MemberId,
            ProtocolType = ConsumerProtocol.ProtocolType,
            ProtocolName = protocol,
            Assignments = [.. assignments.Select(a => new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = a.Key, Assignment = a.Value })],
        };
        return Connection.SendAsync<SyncGroupResponse>(ApiKey.SyncGroup, SyncGroupVersion, request, cancellationToken);
    }

    private BenchmarkFailedException Failure(string api, short error) =>
        new($"{api} of member '{MemberId}' in group '{_settings.GroupId}' failed with {((ErrorCode)error).ToKafkaName()} ({error}).");

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
