namespace Gregor.Client.Admin;

/// <summary>
/// A partition that is unknown in a way newer metadata may cure: the Metadata answer lists its topic
/// but not the partition (it is being added), or its leader says it does not know it (the topic is
/// still being created there). Kafka's admin client retries these until its timeout, and so does
/// <see cref="KafkaAdminClient"/>: the retry loop catches this, and at the deadline throws
/// <see cref="Error"/>, the sentence that says what is missing.
/// </summary>
internal sealed class MetadataLagException(KafkaErrorException error) : Exception(error.Message, error)
{
    public KafkaErrorException Error { get; } = error;
}
