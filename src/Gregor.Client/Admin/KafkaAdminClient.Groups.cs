using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Admin;

public sealed partial class KafkaAdminClient
{
    /// <summary>Every group on every broker (each broker lists the groups it coordinates), sorted by id.</summary>
    public Task<IReadOnlyList<GroupListing>> ListGroupsAsync(CancellationToken cancellationToken = default) =>
        WithRetriesAsync<IReadOnlyList<GroupListing>>("Listing groups", async token =>
        {
            ClusterMetadata cluster = await DescribeClusterAsync([], token);
            var groups = new Dictionary<string, GroupListing>(StringComparer.Ordinal);
            foreach (BrokerNode broker in cluster.Brokers)
            {
                var connection = await _connections.GetAsync(broker.Address, token);
                short version = connection.Negotiate(ApiKey.ListGroups);
                var response = await connection.SendAsync<ListGroupsResponse>(ApiKey.ListGroups, version, new ListGroupsRequest(), token);
                ThrowIfError(response.ErrorCode, $"Listing the groups of broker {broker.NodeId} at {broker.Address}");
                foreach (var group in response.Groups)
                    groups[group.GroupId] = new GroupListing(group.GroupId, group.ProtocolType, version >= 4 ? group.GroupState : null);
            }
            return groups.Values.OrderBy(g => g.GroupId, StringComparer.Ordinal).ToList();
        }, cancellationToken);

    /// <summary>
    /// A group's state, protocol and members, with each member's assignment decoded when the group uses
    /// the consumer protocol. A group the coordinator does not know comes back in state Dead.
    /// </summary>
    public Task<GroupDescription> DescribeGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        WithRetriesAsync($"Describing group '{groupId}'", async token =>
        {
            var (coordinator, connection) = await CoordinatorAsync(groupId, token);
            short version = connection.Negotiate(ApiKey.DescribeGroups);
            var response = await connection.SendAsync<DescribeGroupsResponse>(ApiKey.DescribeGroups, version,
                new DescribeGroupsRequest { Groups = [groupId] }, token);
            var group = response.Groups.Find(g => g.GroupId == groupId)
                ?? throw new KafkaException($"The coordinator at {coordinator.Address} did not describe group '{groupId}'.");
            ThrowIfError(group.ErrorCode, $"Describing group '{groupId}'");

            bool consumerGroup = group.ProtocolType is ConsumerProtocol.ProtocolType or "";
            var members = group.Members.Select(m => new GroupMemberDescription(
                m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
                consumerGroup ? DecodeAssignmentOrEmpty(m.MemberAssignment) : [])).ToList();
            return new GroupDescription(group.GroupId, group.GroupState, group.ProtocolType, group.ProtocolData, coordinator, members);
        }, cancellationToken);

    /// <summary>Deletes an empty group and its offsets (DeleteGroups).</summary>
    /// <exception cref="KafkaErrorException">NON_EMPTY_GROUP while members are joined; GROUP_ID_NOT_FOUND when unknown.</exception>
    public Task DeleteGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        WithRetriesAsync($"Deleting group '{groupId}'", async token =>
        {
            var (coordinator, connection) = await CoordinatorAsync(groupId, token);
            short version = connection.Negotiate(ApiKey.DeleteGroups);
            var response = await connection.SendAsync<DeleteGroupsResponse>(ApiKey.DeleteGroups, version,
                new DeleteGroupsRequest { GroupsNames = [groupId] }, token);
            var result = response.Results.Find(r => r.GroupId == groupId)
                ?? throw new KafkaException($"The coordinator at {coordinator.Address} did not answer for group '{groupId}'.");
            ThrowIfError(result.ErrorCode, $"Deleting group '{groupId}'");
            return true;
        }, cancellationToken);

    /// <summary>A member assignment that is not valid consumer-protocol bytes is shown as no partitions rather than failing the description.</summary>
    private static IReadOnlyList<TopicPartition> DecodeAssignmentOrEmpty(byte[] bytes)
    {
        try
        {
            return ConsumerProtocol.DecodeAssignment(bytes);
        }
        catch (KafkaProtocolException)
        {
            return [];
        }
    }
}
