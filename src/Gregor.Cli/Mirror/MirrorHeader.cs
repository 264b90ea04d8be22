using System.Buffers.Text;
using Gregor.Protocol.Records;

namespace Gregor.Cli.Mirror;

/// <summary>
/// The header every mirrored record carries: its offset in the source partition, in ASCII decimal (readable
/// with kcat's %h). Reading it back from the target's tail tells a restarted mirror exactly where to resume,
/// and it maps any source offset to the target offset of the same record.
/// </summary>
public static class MirrorHeader
{
    public const string Name = "gregor.mirror.offset";

    public static RecordHeader For(long sourceOffset)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(sourceOffset, digits, out int written);
        return new RecordHeader(Name, digits[..written].ToArray());
    }

    /// <summary>The source offset a record was copied from, or null for a record the mirror did not write.</summary>
    public static long? Read(IReadOnlyList<RecordHeader> headers)
    {
        for (int i = headers.Count - 1; i >= 0; i--)
        {
            if (headers[i].Key != Name || headers[i].Value is not { } value) continue;
            return Utf8Parser.TryParse(value.Span, out long offset, out int consumed) && consumed == value.Length && offset >= 0 ? offset : null;
        }
        return null;
    }
}
