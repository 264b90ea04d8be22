namespace Gregor.Protocol.Records;

/// <summary>
/// The outcome of validating one partition's records: the Kafka error code to answer with (None when
/// valid), a sentence for logs and the response's error message, and what the blob holds.
/// </summary>
public readonly record struct RecordValidationResult(
    ErrorCode Error,
    string? ErrorMessage,
    int BatchCount,
    long RecordCount,
    long OffsetCount,
    long MaxTimestamp)
{
    public bool IsValid => Error == ErrorCode.None;

    internal static RecordValidationResult Fail(ErrorCode error, string message) => new(error, message, 0, 0, 0, -1);
}
