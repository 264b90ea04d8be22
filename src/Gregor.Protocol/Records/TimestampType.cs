namespace Gregor.Protocol.Records;

/// <summary>Whose clock a batch's timestamps come from: the producer's, or the broker's at append.</summary>
public enum TimestampType
{
    CreateTime = 0,
    LogAppendTime = 1,
}
