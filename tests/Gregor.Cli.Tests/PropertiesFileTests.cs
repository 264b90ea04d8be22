using Gregor.Cli.CommandLine;
using Gregor.Cli.Configuration;

namespace Gregor.Cli.Tests;

public sealed class PropertiesFileTests
{
    [Fact]
    public void ReadsTheSeparatorsCommentsAndBlankLinesOfJavaProperties()
    {
        const string text = """
            # a comment
            ! another comment

              num.partitions = 3
            log.retention.hours: 48
            log.segment.bytes 1048576
            empty.value=
            """;

        var entries = PropertiesFile.Parse(text, "server.properties");

        Assert.Equal(
            [new("num.partitions", "3"), new("log.retention.hours", "48"), new("log.segment.bytes", "1048576"), new("empty.value", "")],
            entries);
    }

    [Fact]
    public void JoinsContinuationLinesAndUnescapes()
    {
        const string text = "listeners=PLAINTEXT://127.0.0.1:9092,\\\n    PLAINTEXT2://127.0.0.1:9093\nweird\\=key=tab\\there\\u0041\r\nend=\\\\";

        var entries = PropertiesFile.Parse(text, "f");

        Assert.Equal(
            [new("listeners", "PLAINTEXT://127.0.0.1:9092,PLAINTEXT2://127.0.0.1:9093"), new("weird=key", "tab\there" + "A"), new("end", "\\")],
            entries);
    }

    [Fact]
    public void ALineWithoutANameIsRejectedWithItsLineNumber()
    {
        var error = Assert.Throws<UsageException>(() => PropertiesFile.Parse("a=1\n= 2\n", "server.properties"));
        Assert.Equal("server.properties line 2: a setting needs a name before '='.", error.Message);
    }

    [Fact]
    public void ABadUnicodeEscapeIsRejected()
    {
        var error = Assert.Throws<UsageException>(() => PropertiesFile.Parse("a=\\u12", "f"));
        Assert.Equal("f line 1: '\\u' must be followed by four hex digits.", error.Message);
    }

    [Fact]
    public void AMissingFileIsAUsageError()
    {
        var path = Path.Combine(Path.GetTempPath(), "gregor-missing-" + Guid.NewGuid().ToString("N") + ".properties");

        var error = Assert.Throws<UsageException>(() => PropertiesFile.Load(path));
        Assert.StartsWith($"cannot read config file '{path}': ", error.Message);
    }
}
