namespace Gregor.Protocol.Records;

/// <summary>Bits of a record batch's int16 attributes field.</summary>
public static class RecordBatchAttributes
{
    public const short CompressionMask = 0x07;
    public const short LogAppendTime = 0x08;
    public const short Transactional = 0x10;
    public const short Control = 0x20;
    public const short HasDeleteHorizon = 0x40;
}
