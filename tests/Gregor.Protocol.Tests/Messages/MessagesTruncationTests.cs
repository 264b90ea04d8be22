using FsCheck;
using FsCheck.Fluent;
using Gregor.Protocol;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Tests.Messages;

public class MessagesTruncationTests
{
    private static byte[] Encode(IKafkaMessage message, short version)
    {
        using var writer = new KafkaWriter();
        message.Write(writer, version);
        return writer.ToArray();
    }

    private static void EveryPrefixThrows<T>(byte[] full, short version) where T : IKafkaMessage<T>
    {
        for (int length = 0; length < full.Length; length++)
        {
            var reader = new KafkaReader(full.AsMemory(0, length));
            Assert.Throws<KafkaProtocolException>(() => T.Read(reader, version));
        }
    }

    [Fact]
    public void Truncated_metadata_response_throws_protocol_errors()
    {
        var response = new MetadataResponse
        {
            Brokers = [new() { NodeId = 1, Host = "h", Port = 1 }],
            Topics = [new() { Name = "t", Partitions = [new() { ReplicaNodes = [1], IsrNodes = [1] }] }],
            UnknownTaggedFields = [new RawTaggedField(5, [9, 9])],
        };
        EveryPrefixThrows<MetadataResponse>(Encode(response, 12), 12);
        EveryPrefixThrows<MetadataResponse>(Encode(new MetadataResponse { Topics = response.Topics, Brokers = response.Brokers }, 1), 1);
    }

    [Fact]
    public void Truncated_produce_request_throws_protocol_errors()
    {
        var request = new ProduceRequest { Acks = 1, TopicData = [new() { Name = "t", PartitionData = [new() { Records = new byte[20] }] }] };
        EveryPrefixThrows<ProduceRequest>(Encode(request, 9), 9);
        EveryPrefixThrows<ProduceRequest>(Encode(request, 3), 3);
    }

    [Fact]
    public void Truncated_fetch_response_with_tagged_fields_throws_protocol_errors()
    {
        var partition = new FetchResponse.PartitionData { DivergingEpoch = new() { Epoch = 1, EndOffset = 2 }, Records = new byte[5] };
        var response = new FetchResponse { Responses = [new() { TopicId = Guid.NewGuid(), Partitions = [partition] }] };
        EveryPrefixThrows<FetchResponse>(Encode(response, 16), 16);
    }

    [Fact]
    public void Tagged_field_whose_size_disagrees_with_its_value_is_rejected()
    {
        // CreateTopicsResponse v5 topic with TopicConfigErrorCode (tag 0, int16) but a size of 3.
        var topic = new CreateTopicsResponse.CreatableTopicResult { Name = "t", TopicConfigErrorCode = 1, Configs = null };
        byte[] bytes = Encode(topic, 5);
        byte[] tampered = [.. bytes[..^3], 0x03, .. bytes[^2..], 0x00];
        Assert.Throws<KafkaProtocolException>(() => CreateTopicsResponse.CreatableTopicResult.Read(new KafkaReader(tampered), 5));
    }

    [Fact]
    public void Random_bytes_never_escape_as_anything_but_protocol_errors() =>
        Prop.ForAll<byte[], bool>((bytes, flexible) =>
        {
            bytes ??= [];
            short metadataVersion = flexible ? (short)12 : (short)4;
            short fetchVersion = flexible ? (short)16 : (short)4;
            return ReadsOrThrowsProtocolError(() => MetadataResponse.Read(new KafkaReader(bytes), metadataVersion))
                && ReadsOrThrowsProtocolError(() => FetchResponse.Read(new KafkaReader(bytes), fetchVersion))
                && ReadsOrThrowsProtocolError(() => CreateTopicsRequest.Read(new KafkaReader(bytes), flexible ? (short)7 : (short)2));
        }).QuickCheckThrowOnFailure();

    private static bool ReadsOrThrowsProtocolError(Action read)
    {
        try
        {
            read();
            return true;
        }
        catch (KafkaProtocolException)
        {
            return true;
        }
    }
}
