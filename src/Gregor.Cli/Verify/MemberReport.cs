using System.Globalization;

namespace Gregor.Cli.Verify;

/// <summary>What a verify member tells its parent, one short line each on its stdout.</summary>
internal enum MemberReportKind
{
    /// <summary><c>a 0,3</c>: these partitions were assigned (a new ownership begins).</summary>
    Assigned,

    /// <summary><c>r 0,3</c>: these partitions were revoked or lost.</summary>
    Released,

    /// <summary><c>p PARTITION OFFSET SEQUENCE</c>: one record processed.</summary>
    Processed,

    /// <summary><c>b COUNT</c>: a fetched batch is being worked on.</summary>
    BatchStarted,

    /// <summary><c>e</c>: the batch is done (processed and committed, in whichever order the mode says).</summary>
    BatchEnded,

    /// <summary><c>c</c>: a commit succeeded.</summary>
    Committed,

    /// <summary><c>x SENTENCE</c>: something went wrong; the member carries on or exits.</summary>
    Problem,
}

/// <summary>One parsed line of a member's report.</summary>
internal readonly record struct MemberReport(MemberReportKind Kind, int Partition = 0, long Offset = 0, long Sequence = 0,
    IReadOnlyList<int>? Partitions = null, string? Text = null)
{
    /// <summary>Reads one line; false for anything that is not a report (a stray line from the runtime).</summary>
    public static bool TryParse(string line, out MemberReport report)
    {
        report = default;
        if (line.Length == 0 || (line.Length > 1 && line[1] != ' ')) return false;
        ReadOnlySpan<char> rest = line.Length > 2 ? line.AsSpan(2) : [];
        switch (line[0])
        {
            case 'p':
                Span<Range> fields = stackalloc Range[4];
                if (rest.Split(fields, ' ') != 3
                    || !int.TryParse(rest[fields[0]], NumberStyles.None, CultureInfo.InvariantCulture, out int partition)
                    || !long.TryParse(rest[fields[1]], NumberStyles.None, CultureInfo.InvariantCulture, out long offset)
                    || !long.TryParse(rest[fields[2]], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long sequence))
                    return false;
                report = new MemberReport(MemberReportKind.Processed, partition, offset, sequence);
                return true;
            case 'a' or 'r':
                var partitions = new List<int>();
                foreach (var range in rest.Split(','))
                {
                    if (rest[range].IsEmpty) continue;
                    if (!int.TryParse(rest[range], NumberStyles.None, CultureInfo.InvariantCulture, out int p)) return false;
                    partitions.Add(p);
                }
                report = new MemberReport(line[0] == 'a' ? MemberReportKind.Assigned : MemberReportKind.Released, Partitions: partitions);
                return true;
            case 'b':
                report = new MemberReport(MemberReportKind.BatchStarted);
                return true;
            case 'e':
                report = new MemberReport(MemberReportKind.BatchEnded);
                return true;
            case 'c':
                report = new MemberReport(MemberReportKind.Committed);
                return true;
            case 'x':
                report = new MemberReport(MemberReportKind.Problem, Text: rest.ToString());
                return true;
            default:
                return false;
        }
    }

    public static string Assigned(IEnumerable<int> partitions) => "a " + string.Join(',', partitions);

    public static string Released(IEnumerable<int> partitions) => "r " + string.Join(',', partitions);

    public static string BatchStarted(int count) => "b " + count.ToString(CultureInfo.InvariantCulture);

    public const string BatchEnded = "e";

    public const string Committed = "c";

    public static string Problem(string sentence) => "x " + sentence.ReplaceLineEndings(" ");

    /// <summary>Writes <c>p PARTITION OFFSET SEQUENCE</c> without building a string.</summary>
    public static void WriteProcessed(TextWriter writer, int partition, long offset, long sequence)
    {
        Span<char> line = stackalloc char[64];
        line[0] = 'p';
        line[1] = ' ';
        int length = 2;
        partition.TryFormat(line[length..], out int written, provider: CultureInfo.InvariantCulture);
        length += written;
        line[length++] = ' ';
        offset.TryFormat(line[length..], out written, provider: CultureInfo.InvariantCulture);
        length += written;
        line[length++] = ' ';
        sequence.TryFormat(line[length..], out written, provider: CultureInfo.InvariantCulture);
        length += written;
        line[length++] = '\n';
        writer.Write(line[..length]);
    }
}
