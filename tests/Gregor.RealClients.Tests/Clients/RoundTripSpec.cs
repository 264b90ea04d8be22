using System.Text;

namespace Gregor.RealClients.Tests.Clients;

/// <summary>
/// One produce-then-consume exercise for a client: a fresh topic, a codec, deterministic messages
/// (null keys and values, binary bytes, headers, explicit timestamps), and a seek position.
/// </summary>
public sealed record RoundTripSpec(
    string Bootstrap,
    string Topic,
    int Partitions,
    string Codec,
    int SeekPartition,
    long SeekOffset,
    int TimeoutSeconds,
    IReadOnlyList<TestMessage> Messages)
{
    /// <summary>Stop after producing (the test reads the records back with another client).</summary>
    public bool ProduceOnly { get; init; }

    public const long BaseTimestamp = 1_700_000_000_000;

    public static RoundTripSpec Create(string bootstrap, string client, string codec, int count = 300, int partitions = 3)
    {
        var random = new Random(20240601 + count);
        var messages = new List<TestMessage>(count);
        for (var i = 0; i < count; i++)
            messages.Add(CreateMessage(i, partitions, random));

        var seekPartition = 1 % partitions;
        var inSeekPartition = messages.Count(m => m.Partition == seekPartition);
        var topic = $"{client}-{codec}-{Guid.NewGuid().ToString("N")[..12]}";
        return new RoundTripSpec(bootstrap, topic, partitions, codec, seekPartition, inSeekPartition / 2, 90, messages);
    }

    private static TestMessage CreateMessage(int i, int partitions, Random random)
    {
        // Compressible text plus a few random bytes (including non-UTF-8) so codecs see realistic input.
        var text = Encoding.UTF8.GetBytes($"message {i:D6} " + new string((char)('a' + i % 26), 40 + i % 200));
        var noise = new byte[8 + i % 16];
        random.NextBytes(noise);
        byte[]? value = i % 23 == 7 ? null : [.. text, .. noise];
        // A record needs a key or a value (kafka-python refuses neither), so null keys only go with values.
        byte[]? key = i % 17 == 5 && value is not null ? null : Encoding.UTF8.GetBytes($"key-{i:D6}");
        var headers = new[]
        {
            new TestHeader("index", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            new TestHeader("binary", [0, 255, (byte)i, 0x80]),
        };
        return new TestMessage(i % partitions, key, value, headers, BaseTimestamp + i * 7L);
    }

    /// <summary>The records each partition must hold, in offset order (offset = position in this list).</summary>
    public IReadOnlyList<TestMessage> ExpectedPartition(int partition) =>
        Messages.Where(m => m.Partition == partition).ToList();
}
