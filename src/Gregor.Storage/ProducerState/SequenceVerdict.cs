namespace Gregor.Storage.ProducerState;

/// <summary>What the producer state says about a batch an idempotent producer sent.</summary>
public enum SequenceVerdict
{
    /// <summary>Append it.</summary>
    Accept,

    /// <summary>A retry of a batch already in the log: answer with the original offsets, append nothing.</summary>
    Duplicate,

    /// <summary>The sequence does not follow the last one (a gap, or an old batch no longer remembered): OUT_OF_ORDER_SEQUENCE_NUMBER.</summary>
    OutOfOrderSequence,

    /// <summary>The epoch is older than the producer's current one (a fenced zombie): INVALID_PRODUCER_EPOCH.</summary>
    InvalidEpoch,
}
