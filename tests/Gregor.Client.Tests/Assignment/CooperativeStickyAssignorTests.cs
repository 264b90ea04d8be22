using FsCheck;
using FsCheck.Fluent;
using Gregor.Client.Consumer.Assignment;
using static Gregor.Client.Tests.Assignment.RangeAssignorTests;

namespace Gregor.Client.Tests.Assignment;

/// <summary>
/// Cooperative rebalancing simulated as the consumer protocol runs it: each round every member
/// reports what it owns, the leader assigns, each member revokes what it was not given and keeps or
/// adds the rest, and any member that revoked something triggers a follow-up round.
/// </summary>
public sealed class CooperativeStickyAssignorTests
{
    private static readonly CooperativeStickyAssignor Cooperative = new();

    /// <summary>
    /// Runs rounds from <paramref name="owned"/> until a round revokes nothing, checking in every round
    /// that no partition goes to a member while another member still owns it. Returns the final
    /// assignment and how many rounds it took.
    /// </summary>
    private static (IReadOnlyDictionary<string, MemberAssignment> Final, int Rounds) Rebalance(
        Scenario scenario, IReadOnlyDictionary<string, MemberAssignment> owned, int maxRounds = 10)
    {
        for (int round = 1; round <= maxRounds; round++)
        {
            var subscriptions = scenario.SubscriptionsOwning(owned, generation: round);
            var result = Cooperative.Assign(scenario.PartitionCounts, subscriptions);
            AssignmentAssert.NoDuplicatesOnlySubscribers(scenario, result);

            var holders = subscriptions.SelectMany(s => s.Value.OwnedPartitions.Select(p => (Partition: p, Member: s.Key)))
                .ToLookup(h => h.Partition, h => h.Member);
            bool revoked = false;
            foreach (var (member, assignment) in result)
            {
                var before = subscriptions[member].OwnedPartitions;
                foreach (TopicPartition partition in assignment.Partitions.Except(before))
                    Assert.True(holders[partition].All(holder => holder == member),
                        $"Round {round}: {partition} was given to {member} while {string.Join(", ", holders[partition])} still owns it.");
                revoked |= before.Except(assignment.Partitions).Any();
            }
            if (!revoked) return (result, round);
            owned = result;
        }
        throw new Xunit.Sdk.XunitException($"No stable assignment after {maxRounds} rounds for {scenario}.");
    }

    private static readonly IReadOnlyDictionary<string, MemberAssignment> NothingOwned = new Dictionary<string, MemberAssignment>();

    [Fact]
    public void IsCooperativeAndWritesItsGenerationAsJavaDoes()
    {
        Assert.Equal(RebalanceProtocol.Cooperative, Cooperative.Protocol);
        Assert.Equal(new byte[] { 0, 0, 0, 9 }, Cooperative.SubscriptionUserData(["t"], [], 9));
    }

    [Fact]
    public void AFreshGroupIsAssignedCompletelyAndBalancedInOneRound() =>
        Prop.ForAll(Scenario.SameTopics(), scenario =>
        {
            var (final, rounds) = Rebalance(scenario, NothingOwned);
            Assert.Equal(1, rounds);
            AssignmentAssert.Complete(scenario, final);
            AssignmentAssert.CountsWithinOne(final);
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AfterAMemberLeavesSurvivorsKeepEverythingAndNoFollowUpIsNeeded() =>
        Prop.ForAll(Scenario.SameTopics(minMembers: 2), Gen.Choose(0, 11).ToArbitrary(), (scenario, pick) =>
        {
            var (before, _) = Rebalance(scenario, NothingOwned);
            string leaver = scenario.Members.ElementAt(pick % scenario.TopicsByMember.Count);
            var survivors = scenario.Without(leaver);

            var (after, rounds) = Rebalance(survivors, before);

            Assert.Equal(1, rounds);
            AssignmentAssert.Complete(survivors, after);
            AssignmentAssert.CountsWithinOne(after);
            foreach (string member in survivors.Members)
                Assert.True(before[member].Partitions.All(after[member].Partitions.Contains), $"{member} lost a partition.");
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AJoiningMemberGetsMovedPartitionsOnlyInTheFollowUpRound() =>
        Prop.ForAll(Scenario.SameTopics(), scenario =>
        {
            var (before, _) = Rebalance(scenario, NothingOwned);
            var grown = scenario.With("new-member", scenario.TopicsByMember.Values.First());

            var first = Cooperative.Assign(grown.PartitionCounts, grown.SubscriptionsOwning(before, 5));
            // Nothing is unowned, so the newcomer can get nothing until the others have revoked.
            Assert.Empty(first["new-member"].Partitions);

            var (after, rounds) = Rebalance(grown, before);
            Assert.True(rounds <= 2, $"Took {rounds} rounds.");
            AssignmentAssert.Complete(grown, after);
            AssignmentAssert.CountsWithinOne(after);
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AnyChangeOfMembersOrSubscriptionsConvergesWithoutEverSharingAPartition() =>
        Prop.ForAll(Scenario.Any(), Scenario.Any(), (first, next) =>
        {
            // The second group reuses the first one's member ids (extra members are newcomers, missing
            // ones have left) with new subscriptions and partition counts: topics may grow, shrink,
            // vanish or appear, and survivors report what they owned before.
            var ids = first.Members.ToList();
            var second = next with
            {
                TopicsByMember = next.TopicsByMember.Values
                    .Select((topics, i) => (Id: i < ids.Count ? ids[i] : $"newcomer-{i}", Topics: topics))
                    .ToDictionary(m => m.Id, m => m.Topics),
            };
            var (before, _) = Rebalance(first, NothingOwned);
            var (after, _) = Rebalance(second, before);
            AssignmentAssert.Complete(second, after);
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void APartitionClaimedByAStaleMemberIsWithheldFromAThirdMember()
    {
        var counts = new Dictionary<string, int> { ["t"] = 3 };
        var result = Cooperative.Assign(counts, new Dictionary<string, MemberSubscription>
        {
            ["a"] = new(["t"], Partitions("t", 0, 1, 2), GenerationId: 3),
            ["b"] = new(["t"], Partitions("t", 0), GenerationId: 4),
            ["c"] = new(["t"], [], GenerationId: -1),
        });

        // b's newer claim to t-0 wins; a keeps one of the others, and the third partition is held back
        // from c until a has revoked it.
        Assert.Equal(Partitions("t", 0), result["b"].Partitions);
        Assert.Single(result["a"].Partitions);
        Assert.Empty(result["c"].Partitions);
    }
}
