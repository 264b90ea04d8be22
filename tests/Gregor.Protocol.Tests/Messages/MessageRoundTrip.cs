using Gregor.Protocol.Primitives;

namespace Gregor.Protocol.Tests.Messages;

/// <summary>Write, read back, write again: the bytes must match and the reader must consume them all.</summary>
internal static class MessageRoundTrip
{
    public static (T Message, byte[] Bytes) Run<T>(T message, short version) where T : IKafkaMessage<T>
    {
        using var first = new KafkaWriter();
        message.Write(first, version);
        byte[] bytes = first.ToArray();

        var reader = new KafkaReader(bytes);
        T back = T.Read(reader, version);
        Assert.Equal(0, reader.Remaining);

        using var second = new KafkaWriter();
        back.Write(second, version);
        Assert.Equal(bytes, second.ToArray());
        return (back, bytes);
    }

    public static IEnumerable<object[]> Versions(short lowest, short highest)
    {
        for (short v = lowest; v <= highest; v++) yield return [v];
    }
}
