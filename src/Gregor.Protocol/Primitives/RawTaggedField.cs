namespace Gregor.Protocol.Primitives;

/// <summary>
/// A tagged field this code does not understand, kept as its raw bytes so that it survives a
/// read/write round trip unchanged.
/// </summary>
public readonly record struct RawTaggedField(int Tag, byte[] Data);
