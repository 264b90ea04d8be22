using Gregor.Protocol;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Tests;

public class HeadersTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Request_header_round_trips(short headerVersion)
    {
        var header = new RequestHeader { ApiKey = ApiKey.Metadata, ApiVersion = 9, CorrelationId = 1234, ClientId = "client-1" };
        if (headerVersion == 2) header.UnknownTaggedFields = [new RawTaggedField(3, [1])];
        using var writer = new KafkaWriter();
        header.Write(writer, headerVersion);
        var reader = new KafkaReader(writer.WrittenMemory);
        var back = RequestHeader.Read(reader, headerVersion);
        Assert.Equal(0, reader.Remaining);
        Assert.Equal(ApiKey.Metadata, back.ApiKey);
        Assert.Equal((short)9, back.ApiVersion);
        Assert.Equal(1234, back.CorrelationId);
        Assert.Equal(headerVersion >= 1 ? "client-1" : null, back.ClientId);
        Assert.Equal(headerVersion == 2 ? 1 : 0, back.UnknownTaggedFields?.Count ?? 0);
    }

    [Fact]
    public void Null_client_id_is_a_classic_null_string()
    {
        using var writer = new KafkaWriter();
        new RequestHeader { ApiKey = ApiKey.Produce, ApiVersion = 9, CorrelationId = 7, ClientId = null }.Write(writer, 2);
        Assert.Equal(new byte[] { 0, 0, 0, 9, 0, 0, 0, 7, 0xFF, 0xFF, 0x00 }, writer.ToArray());
    }

    [Fact]
    public void Peek_reads_key_version_and_correlation_id()
    {
        byte[] frame = [0x00, 0x03, 0x00, 0x0C, 0x00, 0x00, 0x01, 0x00, 0xFF];
        Assert.True(RequestHeader.TryPeek(frame, out var key, out short version, out int correlationId));
        Assert.Equal(ApiKey.Metadata, key);
        Assert.Equal((short)12, version);
        Assert.Equal(256, correlationId);
        Assert.False(RequestHeader.TryPeek(frame.AsSpan(0, 7), out _, out _, out _));
    }

    [Fact]
    public void Truncated_request_header_throws_protocol_error()
    {
        byte[] bytes = [0x00, 0x03, 0x00, 0x0C, 0x00, 0x00, 0x01, 0x00, 0x00, 0x05, (byte)'a'];
        Assert.Throws<KafkaProtocolException>(() => RequestHeader.Read(new KafkaReader(bytes), 1));
    }

    [Fact]
    public void Response_headers_v0_and_v1()
    {
        using var writer = new KafkaWriter();
        ResponseHeader.Write(writer, 77, 0);
        Assert.Equal(new byte[] { 0, 0, 0, 77 }, writer.ToArray());
        writer.Reset();
        new ResponseHeader(77).Write(writer, 1);
        Assert.Equal(new byte[] { 0, 0, 0, 77, 0 }, writer.ToArray());
        Assert.Equal(77, ResponseHeader.Read(new KafkaReader(writer.WrittenMemory), 1).CorrelationId);
    }

    [Fact]
    public void Header_versions_follow_flexible_versions_with_kafka_exceptions()
    {
        Assert.Equal(1, ApiMessages.RequestHeaderVersion(ApiKey.Metadata, 8));
        Assert.Equal(2, ApiMessages.RequestHeaderVersion(ApiKey.Metadata, 9));
        Assert.Equal(0, ApiMessages.ResponseHeaderVersion(ApiKey.Metadata, 8));
        Assert.Equal(1, ApiMessages.ResponseHeaderVersion(ApiKey.Metadata, 9));
        Assert.Equal(2, ApiMessages.RequestHeaderVersion(ApiKey.ApiVersions, 3));
        Assert.Equal(0, ApiMessages.ResponseHeaderVersion(ApiKey.ApiVersions, 3)); // always v0
        Assert.Equal(0, ApiMessages.RequestHeaderVersion(ApiKey.ControlledShutdown, 0));
        Assert.Equal(1, ApiMessages.RequestHeaderVersion(ApiKey.ControlledShutdown, 1));
        Assert.Equal(1, ApiMessages.RequestHeaderVersion((ApiKey)999, 0));
    }

    [Fact]
    public void Api_table_covers_every_api_key()
    {
        foreach (var key in Enum.GetValues<ApiKey>())
        {
            Assert.True(ApiMessages.TryGet(key, out var info), $"{key} missing from ApiMessages");
            Assert.Equal(key, info.Key);
        }
        Assert.Equal(Enum.GetValues<ApiKey>().Length, ApiMessages.All.Count);
        Assert.True(ApiMessages.TryGet(ApiKey.Produce, out var produce));
        Assert.Equal(ProduceRequest.HighestSupportedVersion, produce.HighestVersion);
        Assert.Equal(ProduceRequest.FlexibleVersionsStart, produce.FlexibleVersionsStart);
    }

    [Fact]
    public void Error_codes_carry_kafka_names()
    {
        Assert.Equal("UNKNOWN_TOPIC_OR_PARTITION", ErrorCode.UnknownTopicOrPartition.ToKafkaName());
        Assert.Equal((short)3, (short)ErrorCode.UnknownTopicOrPartition);
        Assert.Equal((short)6, (short)ErrorCode.NotLeaderOrFollower);
        Assert.Equal((short)120, (short)ErrorCode.TransactionAbortable);
        Assert.Equal("UNKNOWN_ERROR_CODE_999", ((ErrorCode)999).ToKafkaName());
    }
}

public class HeadersVersionDetectionTests
{
    [Fact]
    public void Header_version_is_chosen_from_the_api_key_and_version()
    {
        using var writer = new KafkaWriter();
        new RequestHeader { ApiKey = ApiKey.Metadata, ApiVersion = 12, CorrelationId = 5, ClientId = "c" }.Write(writer, 2);
        writer.WriteInt8(42); // first body byte
        var reader = new KafkaReader(writer.WrittenMemory);
        var header = RequestHeader.Read(reader);
        Assert.Equal("c", header.ClientId);
        Assert.Equal((sbyte)42, reader.ReadInt8()); // tagged-field section of header v2 was consumed

        Assert.Throws<KafkaProtocolException>(() => RequestHeader.Read(new KafkaReader(new byte[] { 0, 3, 0 })));
    }
}
