using System.Buffers.Text;
using System.Text;

namespace Gregor.Cli.Verify;

/// <summary>
/// The records verify produces: the key is the sequence number in decimal (so keys hash over every
/// partition), the value the same number, a space, and padding up to <see cref="ValueSize"/> bytes.
/// </summary>
internal static class SequenceRecord
{
    public const int ValueSize = 100;

    public static byte[] Key(long sequence) => Encoding.ASCII.GetBytes(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static byte[] Value(long sequence)
    {
        var value = new byte[ValueSize];
        Utf8Formatter.TryFormat(sequence, value, out int written);
        value.AsSpan(written).Fill((byte)'.');
        value[written] = (byte)' ';
        return value;
    }

    /// <summary>The sequence number at the start of a value, or -1 when the value is not one of ours.</summary>
    public static long ReadSequence(ReadOnlySpan<byte> value)
    {
        int end = value.IndexOf((byte)' ');
        if (end < 0) end = value.Length;
        return Utf8Parser.TryParse(value[..end], out long sequence, out int consumed) && consumed == end && sequence >= 0 ? sequence : -1;
    }
}
