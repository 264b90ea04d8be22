using Gregor.Protocol;
using Gregor.Protocol.Messages.GroupCoordinator;
using Gregor.Protocol.Primitives;

namespace Gregor.Broker.Groups.Records;

/// <summary>
/// Kafka's on-disk format of <c>__consumer_offsets</c>: key and value each start with an int16
/// version followed by the schema of that version, so tools that read the topic (Burrow,
/// kafka-console-consumer's formatters) understand what Gregor writes.
/// </summary>
public static class GroupRecordCodec
{
    /// <summary>Offset commit keys are written as version 1 (0 and 1 have the same layout).</summary>
    public const short OffsetCommitKeyVersion = 1;

    public const short GroupMetadataKeyVersion = 2;

    /// <summary>Version 3 carries the leader epoch and no expire timestamp, as Kafka 2.1+ writes it.</summary>
    public const short OffsetCommitValueVersion = 3;

    /// <summary>Version 3 carries group instance ids (static membership), as Kafka 2.3+ writes it.</summary>
    public const short GroupMetadataValueVersion = 3;

    public static byte[] OffsetCommitKey(string group, string topic, int partition) =>
        Encode(OffsetCommitKeyVersion, new OffsetCommitKey { Group = group, Topic = topic, Partition = partition });

    public static byte[] GroupMetadataKey(string group) =>
        Encode(GroupMetadataKeyVersion, new GroupMetadataKey { Group = group });

    public static byte[] Value(OffsetCommitValue value) => Encode(OffsetCommitValueVersion, value);

    public static byte[] Value(GroupMetadataValue value) => Encode(GroupMetadataValueVersion, value);

    /// <summary>
    /// Decodes one record; returns null for keys of record types Gregor does not keep (the newer
    /// consumer-group and share-group records), so a log written by a newer broker still loads.
    /// </summary>
    /// <exception cref="KafkaProtocolException">The key or value is malformed.</exception>
    public static GroupRecord? Decode(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte>? value)
    {
        var keyReader = new KafkaReader(key);
        short keyVersion = keyReader.ReadInt16();
        switch (keyVersion)
        {
            case 0 or 1:
            {
                var decoded = Protocol.Messages.GroupCoordinator.OffsetCommitKey.Read(keyReader, keyVersion);
                OffsetCommitValue? commit = value is { } v ? ReadValue<OffsetCommitValue>(v, OffsetCommitValue.HighestSupportedVersion) : null;
                return new OffsetCommitRecord(decoded.Group, decoded.Topic, decoded.Partition, commit);
            }
            case 2:
            {
                var decoded = Protocol.Messages.GroupCoordinator.GroupMetadataKey.Read(keyReader, keyVersion);
                GroupMetadataValue? metadata = value is { } v ? ReadValue<GroupMetadataValue>(v, GroupMetadataValue.HighestSupportedVersion) : null;
                return new GroupMetadataRecord(decoded.Group, metadata);
            }
            default:
                return null;
        }
    }

    private static T ReadValue<T>(ReadOnlyMemory<byte> value, short highestVersion) where T : IKafkaMessage<T>
    {
        var reader = new KafkaReader(value);
        short version = reader.ReadInt16();
        if (version < 0 || version > highestVersion)
            throw new KafkaProtocolException($"{typeof(T).Name} version {version} is not one Gregor can read (0–{highestVersion}).");
        return T.Read(reader, version);
    }

    private static byte[] Encode(short version, IKafkaMessage message)
    {
        using var writer = new KafkaWriter();
        writer.WriteInt16(version);
        message.Write(writer, version);
        return writer.WrittenSpan.ToArray();
    }
}
