using Gregor.Client.Consumer.Assignment;

namespace Gregor.Client.Tests.Assignment;

public sealed class AssignorsTests
{
    [Theory]
    [InlineData("range", typeof(RangeAssignor))]
    [InlineData("roundrobin", typeof(RoundRobinAssignor))]
    [InlineData("sticky", typeof(StickyAssignor))]
    [InlineData("cooperative-sticky", typeof(CooperativeStickyAssignor))]
    [InlineData("consistent-hash", typeof(ConsistentHashAssignor))]
    [InlineData("org.apache.kafka.clients.consumer.RangeAssignor", typeof(RangeAssignor))]
    [InlineData("org.apache.kafka.clients.consumer.RoundRobinAssignor", typeof(RoundRobinAssignor))]
    [InlineData("org.apache.kafka.clients.consumer.StickyAssignor", typeof(StickyAssignor))]
    [InlineData("org.apache.kafka.clients.consumer.CooperativeStickyAssignor", typeof(CooperativeStickyAssignor))]
    [InlineData(" Range ", typeof(RangeAssignor))]
    public void ResolvesKafkaNamesAndJavaClassNames(string name, Type expected)
    {
        IPartitionAssignor assignor = Assignors.Resolve(name);
        Assert.IsType(expected, assignor);
        Assert.Equal(assignor.Name, Assignors.Resolve(assignor.Name).Name);
    }

    [Fact]
    public void ProtocolNamesAreKafkas()
    {
        Assert.Equal(["range", "roundrobin", "sticky", "cooperative-sticky", "consistent-hash"], Assignors.Names);
        Assert.Equal(Assignors.Names, Assignors.Names.Select(n => Assignors.Resolve(n).Name));
        Assert.Equal(RebalanceProtocol.Cooperative, Assignors.CooperativeSticky.Protocol);
        Assert.All(Assignors.Names.Where(n => n != "cooperative-sticky"), n => Assert.Equal(RebalanceProtocol.Eager, Assignors.Resolve(n).Protocol));
    }

    [Fact]
    public void AnUnknownNameIsAnArgumentErrorThatListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => Assignors.Resolve("fair"));
        Assert.Contains("'fair'", error.Message);
        Assert.Contains("cooperative-sticky", error.Message);
    }

    [Fact]
    public void AStrategyListKeepsItsOrderAndDropsDuplicates()
    {
        var list = Assignors.ResolveList("cooperative-sticky, org.apache.kafka.clients.consumer.RangeAssignor,range");
        Assert.Equal(["cooperative-sticky", "range"], list.Select(a => a.Name));
        Assert.Throws<ArgumentException>(() => Assignors.ResolveList(" , "));
        Assert.Throws<ArgumentException>(() => Assignors.ResolveList("range,nope"));
    }
}
