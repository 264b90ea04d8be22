using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace Gregor.Client.Consumer;

internal sealed partial class ConsumerCoordinator
{
    private void EnsureHeartbeatRunning()
    {
        lock (_lock) _heartbeat ??= Task.Run(() => HeartbeatLoopAsync(_stopping.Token));
    }

    /// <summary>
    /// Keeps the session alive while the application processes records, and enforces
    /// max.poll.interval.ms as Kafka does: when Consume has not been called for that long the member
    /// leaves the group (a static member just stops heartbeating), so its partitions go to others;
    /// the next Consume joins again.
    /// </summary>
    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            long sincePoll = Environment.TickCount64 - Interlocked.Read(ref _lastPollTicks);
            long untilPollDeadline = _config.MaxPollIntervalMs - sincePoll;
            await Task.Delay((int)Math.Clamp(Math.Min(_config.HeartbeatIntervalMs, untilPollDeadline + 1), 1, int.MaxValue), stopping);

            string memberId; int generation; bool stable;
            lock (_lock) (memberId, generation, stable) = (_memberId, _generation, _state == MemberState.Stable);
            if (!stable) continue;

            if (Environment.TickCount64 - Interlocked.Read(ref _lastPollTicks) > _config.MaxPollIntervalMs)
            {
                _log.LogWarning("Group {Group}: Consume was not called for more than max.poll.interval.ms ({Interval} ms); " +
                    "leaving the group so others take over the partitions. Process faster, lower max.poll.records or raise max.poll.interval.ms.",
                    GroupId, _config.MaxPollIntervalMs);
                await LeaveGroupAsync("consumer poll timeout has expired", stopping);
                continue;
            }

            try
            {
                await SendHeartbeatAsync(memberId, generation, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsCoordinatorError(e))
            {
                // The next round finds the coordinator again.
            }
            catch (KafkaException e)
            {
                _log.LogWarning(e, "Group {Group}: heartbeat failed.", GroupId);
            }
        }
    }

    private async Task SendHeartbeatAsync(string memberId, int generation, CancellationToken cancellationToken)
    {
        var connection = await CoordinatorAsync(cancellationToken);
        short version = connection.Negotiate(ApiKey.Heartbeat);
        var response = await connection.SendAsync<HeartbeatResponse>(ApiKey.Heartbeat, version, new HeartbeatRequest
        {
            GroupId = GroupId,
            GenerationId = generation,
            MemberId = memberId,
            GroupInstanceId = _config.GroupInstanceId,
        }, cancellationToken);
        switch (Code(response.ErrorCode))
        {
            case ErrorCode.None:
                return;
            case ErrorCode.RebalanceInProgress:
                RequestRejoin("the coordinator started a rebalance");
                return;
            case ErrorCode.UnknownMemberId or ErrorCode.IllegalGeneration or ErrorCode.FencedInstanceId:
                _log.LogWarning("Group {Group}: heartbeat answered {Error}; this member was dropped and will join again.",
                    GroupId, Code(response.ErrorCode).ToKafkaName());
                lock (_lock)
                {
                    if (_generation != generation) return; // a newer join already replaced what this heartbeat was for
                }
                ResetGeneration(keepMemberId: _config.GroupInstanceId is not null);
                return;
            default:
                throw KafkaErrorException.From(Code(response.ErrorCode), $"Heartbeat of group '{GroupId}'");
        }
    }

    /// <summary>
    /// Leaves the group (LeaveGroup) so the others rebalance at once rather than after the session
    /// timeout; a static member sends nothing, so a restart within the session timeout keeps its
    /// partitions. Either way the generation is forgotten.
    /// </summary>
    public async Task LeaveGroupAsync(string reason, CancellationToken cancellationToken)
    {
        string memberId;
        lock (_lock) memberId = _memberId;
        if (_config.GroupInstanceId is null && memberId.Length > 0)
        {
            try
            {
                var connection = await CoordinatorAsync(cancellationToken);
                short version = connection.Negotiate(ApiKey.LeaveGroup);
                var request = version >= 3
                    ? new LeaveGroupRequest { GroupId = GroupId, Members = [new LeaveGroupRequest.MemberIdentity { MemberId = memberId, Reason = reason }] }
                    : new LeaveGroupRequest { GroupId = GroupId, MemberId = memberId };
                var response = await connection.SendAsync<LeaveGroupResponse>(ApiKey.LeaveGroup, version, request, cancellationToken);
                _log.LogInformation("Group {Group}: member {Member} left ({Reason}): {Error}.", GroupId, memberId, reason,
                    Code(response.ErrorCode).ToKafkaName());
            }
            catch (Exception e) when (e is KafkaException or OperationCanceledException)
            {
                _log.LogInformation("Group {Group}: LeaveGroup was not answered ({Error}); the session timeout will remove the member.", GroupId, e.Message);
            }
        }
        ResetGeneration();
    }
}
