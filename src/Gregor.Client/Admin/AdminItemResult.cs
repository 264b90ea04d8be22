using Gregor.Protocol;

namespace Gregor.Client.Admin;

/// <summary>
/// The outcome of an admin operation for one item (a topic, a config resource, a partition) where
/// Kafka answers each item on its own: some may succeed while others fail. Nothing is thrown for a
/// failed item; call <see cref="ThrowIfFailed"/> (or <see cref="AdminResults.ThrowIfAnyFailed"/>) to
/// turn failures into a <see cref="KafkaErrorException"/>.
/// </summary>
public abstract record AdminItemResult(ErrorCode Error, string? ErrorMessage)
{
    public bool Succeeded => Error == ErrorCode.None;

    /// <summary>What was attempted, as the start of an error sentence: "Creating topic 'orders'".</summary>
    protected abstract string Operation { get; }

    /// <summary>The item the result is about, for sentences that need only its name: "topic 'orders'".</summary>
    protected abstract string Subject { get; }

    /// <summary>The failure as an exception with one sentence, or null when the item succeeded.</summary>
    public KafkaErrorException? ToException() => Error switch
    {
        ErrorCode.None => null,
        // The two answers people meet most often read better without the broker's code.
        ErrorCode.UnknownTopicOrPartition when Subject.StartsWith("topic ", StringComparison.Ordinal) =>
            new KafkaErrorException(Error, $"{Capitalised(Subject)} does not exist."),
        ErrorCode.TopicAlreadyExists => new KafkaErrorException(Error, $"{Capitalised(Subject)} already exists."),
        _ => KafkaErrorException.From(Error, Operation, ErrorMessage),
    };

    public void ThrowIfFailed()
    {
        if (ToException() is { } failure) throw failure;
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>Helpers over lists of per-item results.</summary>
public static class AdminResults
{
    /// <summary>
    /// Throws when any item failed: one <see cref="KafkaErrorException"/> carrying the first failed item's
    /// error code and a message naming every failed item.
    /// </summary>
    public static void ThrowIfAnyFailed(this IEnumerable<AdminItemResult> results)
    {
        List<KafkaErrorException> failures = results.Select(r => r.ToException()).OfType<KafkaErrorException>().ToList();
        if (failures.Count == 1) throw failures[0];
        if (failures.Count > 1)
            throw new KafkaErrorException(failures[0].Error, string.Join(" ", failures.Select(f => f.Message)));
    }
}
