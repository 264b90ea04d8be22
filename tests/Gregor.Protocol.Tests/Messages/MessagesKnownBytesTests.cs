using System.Text;
using Gregor.Protocol;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Tests.Messages;

/// <summary>Bytes worked out by hand from the protocol rules, so the encoder is checked against Kafka, not itself.</summary>
public class MessagesKnownBytesTests
{
    [Fact]
    public void ApiVersionsRequest_v3_with_header_v2()
    {
        using var writer = new KafkaWriter();
        short headerVersion = ApiMessages.RequestHeaderVersion(ApiKey.ApiVersions, 3);
        new RequestHeader { ApiKey = ApiKey.ApiVersions, ApiVersion = 3, CorrelationId = 1, ClientId = "kc" }.Write(writer, headerVersion);
        new ApiVersionsRequest { ClientSoftwareName = "gregor", ClientSoftwareVersion = "1.0" }.Write(writer, 3);

        byte[] expected =
        [
            0x00, 0x12,             // api key 18
            0x00, 0x03,             // api version 3
            0x00, 0x00, 0x00, 0x01, // correlation id
            0x00, 0x02, (byte)'k', (byte)'c', // client id: classic int16-length string even in header v2
            0x00,                   // header tagged fields: none
            0x07, .. Encoding.ASCII.GetBytes("gregor"), // compact string: length + 1
            0x04, .. Encoding.ASCII.GetBytes("1.0"),
            0x00,                   // body tagged fields: none
        ];
        Assert.Equal(2, headerVersion);
        Assert.Equal(expected, writer.ToArray());
    }

    [Fact]
    public void MetadataRequest_v1_with_one_topic_and_with_all_topics()
    {
        using var writer = new KafkaWriter();
        new MetadataRequest { Topics = [new() { Name = "foo" }] }.Write(writer, 1);
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0, 3, (byte)'f', (byte)'o', (byte)'o' }, writer.ToArray());

        writer.Reset();
        new MetadataRequest { Topics = null }.Write(writer, 1);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, writer.ToArray());
    }

    [Fact]
    public void ApiVersionsResponse_v0_reads_from_hand_written_bytes()
    {
        byte[] bytes =
        [
            0x00, 0x00,             // error code
            0x00, 0x00, 0x00, 0x01, // one api
            0x00, 0x03, 0x00, 0x00, 0x00, 0x0C, // Metadata 0..12
        ];
        var response = ApiVersionsResponse.Read(new KafkaReader(bytes), 0);
        var api = Assert.Single(response.ApiKeys);
        Assert.Equal((short)ApiKey.Metadata, api.ApiKey);
        Assert.Equal((short)12, api.MaxVersion);
    }

    [Fact]
    public void Known_tagged_field_is_written_with_tag_and_size()
    {
        // CreateTopicsResponse v5 topic: TopicConfigErrorCode is tag 0 (int16), written only when non-zero.
        var topic = new CreateTopicsResponse.CreatableTopicResult { Name = "t", TopicConfigErrorCode = 40, NumPartitions = 1, ReplicationFactor = 1, Configs = null };
        using var writer = new KafkaWriter();
        topic.Write(writer, 5);
        byte[] bytes = writer.ToArray();
        // ... ends with: one tagged field, tag 0, size 2, value 0x0028
        Assert.Equal(new byte[] { 0x01, 0x00, 0x02, 0x00, 0x28 }, bytes[^5..]);
    }
}
