using FsCheck;
using FsCheck.Fluent;
using Gregor.Client.Consumer.Assignment;
using Gregor.Protocol;

namespace Gregor.Client.Tests.Assignment;

public sealed class ConsumerProtocolCodecTests
{
    [Fact]
    public void AVersion0SubscriptionHasKafkasLayout()
    {
        byte[] bytes = ConsumerProtocolCodec.EncodeSubscription(new MemberSubscription(["foo", "bar"], []), version: 0);

        byte[] expected =
        [
            0, 0,                            // version 0
            0, 0, 0, 2,                      // two topics
            0, 3, (byte)'f', (byte)'o', (byte)'o',
            0, 3, (byte)'b', (byte)'a', (byte)'r',
            0xFF, 0xFF, 0xFF, 0xFF,          // null user data
        ];
        Assert.Equal(expected, bytes);
        var decoded = ConsumerProtocolCodec.DecodeSubscription(bytes);
        Assert.Equal(["foo", "bar"], decoded.Topics);
        Assert.Empty(decoded.OwnedPartitions);
        Assert.Equal(-1, decoded.GenerationId);
        Assert.Null(decoded.UserData);
    }

    [Fact]
    public void AnAssignmentHasKafkasLayout()
    {
        byte[] bytes = ConsumerProtocolCodec.EncodeAssignment(
            new MemberAssignment([new TopicPartition("foo", 1), new TopicPartition("foo", 0)]), version: 0);

        byte[] expected =
        [
            0, 0,                            // version 0
            0, 0, 0, 1,                      // one topic
            0, 3, (byte)'f', (byte)'o', (byte)'o',
            0, 0, 0, 2,                      // two partitions
            0, 0, 0, 0,
            0, 0, 0, 1,
            0xFF, 0xFF, 0xFF, 0xFF,          // null user data
        ];
        Assert.Equal(expected, bytes);
        Assert.Equal([new TopicPartition("foo", 0), new TopicPartition("foo", 1)], ConsumerProtocolCodec.DecodeAssignment(bytes).Partitions);
    }

    [Fact]
    public void AVersion3SubscriptionCarriesOwnedPartitionsGenerationAndRack()
    {
        var subscription = new MemberSubscription(
            ["b", "a"], [new TopicPartition("b", 2), new TopicPartition("a", 0), new TopicPartition("b", 1)],
            GenerationId: 42, UserData: [1, 2, 3], RackId: "rack-1");

        var decoded = ConsumerProtocolCodec.DecodeSubscription(ConsumerProtocolCodec.EncodeSubscription(subscription, 3));

        Assert.Equal(["b", "a"], decoded.Topics);
        Assert.Equal([new TopicPartition("a", 0), new TopicPartition("b", 1), new TopicPartition("b", 2)], decoded.OwnedPartitions);
        Assert.Equal(42, decoded.GenerationId);
        Assert.Equal(new byte[] { 1, 2, 3 }, decoded.UserData);
        Assert.Equal("rack-1", decoded.RackId);
    }

    [Theory]
    [InlineData(0, false, false, false)]
    [InlineData(1, true, false, false)]
    [InlineData(2, true, true, false)]
    [InlineData(3, true, true, true)]
    public void OlderVersionsLeaveOutWhatTheyCannotCarry(short version, bool owned, bool generation, bool rack)
    {
        var subscription = new MemberSubscription(["t"], [new TopicPartition("t", 0)], 7, null, null, "r");

        var decoded = ConsumerProtocolCodec.DecodeSubscription(ConsumerProtocolCodec.EncodeSubscription(subscription, version));

        Assert.Equal(owned ? 1 : 0, decoded.OwnedPartitions.Count);
        Assert.Equal(generation ? 7 : -1, decoded.GenerationId);
        Assert.Equal(rack ? "r" : null, decoded.RackId);
    }

    [Fact]
    public void ANewerVersionIsReadAsOurHighestIgnoringTheFieldsItAdds()
    {
        byte[] v3 = ConsumerProtocolCodec.EncodeSubscription(new MemberSubscription(["t"], [], 5, null, null, "r"), 3);
        byte[] v4 = [.. v3, 0, 0, 0, 9];
        v4[1] = 4;

        var decoded = ConsumerProtocolCodec.DecodeSubscription(v4);

        Assert.Equal(["t"], decoded.Topics);
        Assert.Equal(5, decoded.GenerationId);
    }

    [Fact]
    public void SubscriptionsAndAssignmentsRoundTripAtEveryVersion() =>
        Prop.ForAll(Scenario.Any(), Gen.Choose(0, 3).ToArbitrary(), ArbMap.Default.ArbFor<byte[]>(), (scenario, version, userData) =>
        {
            var owners = new RoundRobinAssignor().Assign(scenario.PartitionCounts, scenario.FreshSubscriptions());
            foreach (var (member, topics) in scenario.TopicsByMember)
            {
                var subscription = new MemberSubscription(topics, owners[member].Partitions, 3, userData, null, "rack");
                var decoded = ConsumerProtocolCodec.DecodeSubscription(ConsumerProtocolCodec.EncodeSubscription(subscription, (short)version));
                Assert.Equal(topics, decoded.Topics);
                Assert.Equal(userData, decoded.UserData);
                Assert.Equal(version >= 1 ? owners[member].Partitions : [], decoded.OwnedPartitions);

                var assignment = new MemberAssignment(owners[member].Partitions, userData);
                var back = ConsumerProtocolCodec.DecodeAssignment(ConsumerProtocolCodec.EncodeAssignment(assignment, (short)version));
                Assert.Equal(assignment.Partitions, back.Partitions);
                Assert.Equal(userData, back.UserData);
            }
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void EveryTruncationOfAValidEncodingIsAProtocolError()
    {
        byte[] subscription = ConsumerProtocolCodec.EncodeSubscription(
            new MemberSubscription(["orders"], [new TopicPartition("orders", 3)], 2, [9], null, "rack"), 3);
        byte[] assignment = ConsumerProtocolCodec.EncodeAssignment(new MemberAssignment([new TopicPartition("orders", 3)], [9]), 3);

        for (int cut = 0; cut < subscription.Length; cut++)
            Assert.Throws<KafkaProtocolException>(() => ConsumerProtocolCodec.DecodeSubscription(subscription.AsMemory(0, cut)));
        for (int cut = 1; cut < assignment.Length; cut++)
            Assert.Throws<KafkaProtocolException>(() => ConsumerProtocolCodec.DecodeAssignment(assignment.AsMemory(0, cut)));
        Assert.Empty(ConsumerProtocolCodec.DecodeAssignment(ReadOnlyMemory<byte>.Empty).Partitions);
    }

    [Fact]
    public void GarbageIsAProtocolErrorNeverACrash() =>
        Prop.ForAll<byte[]>(garbage =>
        {
            garbage ??= [];
            foreach (Action decode in new Action[]
            {
                () => ConsumerProtocolCodec.DecodeSubscription(garbage),
                () => ConsumerProtocolCodec.DecodeAssignment(garbage),
            })
            {
                try { decode(); }
                catch (KafkaProtocolException) { }
            }
            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void ANegativeVersionIsRejectedWithASentence()
    {
        var error = Assert.Throws<KafkaProtocolException>(() => ConsumerProtocolCodec.DecodeSubscription(new byte[] { 0xFF, 0xFE, 0, 0, 0, 0 }));
        Assert.Contains("version -2", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsumerProtocolCodec.EncodeAssignment(new MemberAssignment([]), 4));
    }
}
