namespace Gregor.Broker.Topics;

/// <summary>Kafka's rules for topic names: 1–249 characters of [a-zA-Z0-9._-], and not "." or "..".</summary>
public static class TopicNameValidator
{
    public const int MaxLength = 249;

    /// <summary>Returns null when the name is legal, otherwise a sentence saying why not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "Topic name is empty.";
        if (name is "." or "..") return $"Topic name cannot be \"{name}\".";
        if (name.Length > MaxLength) return $"Topic name is {name.Length} characters long; the limit is {MaxLength}.";
        foreach (char c in name)
        {
            bool legal = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '_' or '-';
            if (!legal) return $"Topic name \"{name}\" contains '{c}'; only ASCII letters, digits, '.', '_' and '-' are allowed.";
        }
        return null;
    }

    /// <summary>Internal topics such as <c>__consumer_offsets</c> start with two underscores.</summary>
    public static bool IsInternal(string name) => name == "__consumer_offsets" || name == "__transaction_state";
}
