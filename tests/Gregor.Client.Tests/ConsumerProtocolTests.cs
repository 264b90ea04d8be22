using Gregor.Client;
using Gregor.Client.Admin;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Client.Tests;

public sealed class ConsumerProtocolTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void AnAssignmentRoundTripsSorted(short version)
    {
        TopicPartition[] partitions = [new("b", 1), new("a", 2), new("a", 0)];

        var decoded = ConsumerProtocol.DecodeAssignment(ConsumerProtocol.EncodeAssignment(partitions, version));

        Assert.Equal([new TopicPartition("a", 0), new TopicPartition("a", 2), new TopicPartition("b", 1)], decoded);
    }

    [Fact]
    public void ANewerVersionIsReadWithTheFieldsWeKnow()
    {
        // Version 9 does not exist yet; its prefix is version 3's layout, which is what we read.
        using var writer = new KafkaWriter();
        writer.WriteInt16(9);
        new ConsumerProtocolAssignment
        {
            AssignedPartitions = [new ConsumerProtocolAssignment.TopicPartition { Topic = "t", Partitions = [4] }],
        }.Write(writer, 3);
        writer.WriteInt32(12345); // a field from the future

        Assert.Equal([new TopicPartition("t", 4)], ConsumerProtocol.DecodeAssignment(writer.ToArray()));
    }

    [Fact]
    public void EmptyBytesMeanNoPartitionsAndGarbageIsAProtocolError()
    {
        Assert.Empty(ConsumerProtocol.DecodeAssignment(ReadOnlyMemory<byte>.Empty));
        Assert.Throws<KafkaProtocolException>(() => ConsumerProtocol.DecodeAssignment(new byte[] { 0, 0, 0x7F, 0, 0, 0 }));
    }
}
