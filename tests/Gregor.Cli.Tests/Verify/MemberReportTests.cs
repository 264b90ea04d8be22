using Gregor.Cli.Verify;

namespace Gregor.Cli.Tests.Verify;

/// <summary>The line protocol between verify members and their parent, and the records' sequence numbers.</summary>
public sealed class MemberReportTests
{
    [Fact]
    public void AProcessedLineRoundTrips()
    {
        var writer = new StringWriter();
        MemberReport.WriteProcessed(writer, 5, 1_234_567_890_123, 99_999);

        Assert.Equal("p 5 1234567890123 99999\n", writer.ToString());
        Assert.True(MemberReport.TryParse(writer.ToString().TrimEnd('\n'), out var report));
        Assert.Equal(new MemberReport(MemberReportKind.Processed, 5, 1_234_567_890_123, 99_999), report);
    }

    [Fact]
    public void AssignmentsReleasesAndProblemsParse()
    {
        Assert.True(MemberReport.TryParse(MemberReport.Assigned([0, 3, 4]), out var assigned));
        Assert.Equal(MemberReportKind.Assigned, assigned.Kind);
        Assert.Equal([0, 3, 4], assigned.Partitions!);

        Assert.True(MemberReport.TryParse(MemberReport.Released([]), out var released));
        Assert.Equal(MemberReportKind.Released, released.Kind);
        Assert.Empty(released.Partitions!);

        Assert.True(MemberReport.TryParse(MemberReport.Problem("the broker\nwent away"), out var problem));
        Assert.Equal("the broker went away", problem.Text);

        Assert.True(MemberReport.TryParse(MemberReport.BatchStarted(12), out var batch));
        Assert.Equal(MemberReportKind.BatchStarted, batch.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("processed 1 2 3")]
    [InlineData("p 1 2")]
    [InlineData("p 1 x 3")]
    [InlineData("a 1,b")]
    [InlineData("warn: something from the runtime")]
    public void LinesThatAreNotReportsAreIgnored(string line) =>
        Assert.False(MemberReport.TryParse(line, out _));

    [Fact]
    public void ARecordValueCarriesItsSequenceNumber()
    {
        byte[] value = SequenceRecord.Value(4711);

        Assert.Equal(SequenceRecord.ValueSize, value.Length);
        Assert.Equal(4711, SequenceRecord.ReadSequence(value));
        Assert.Equal("4711"u8.ToArray(), SequenceRecord.Key(4711));
        Assert.Equal(-1, SequenceRecord.ReadSequence("hello world"u8));
        Assert.Equal(-1, SequenceRecord.ReadSequence([]));
    }
}
