using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Tests;

public sealed class ArgumentReaderTests
{
    [Fact]
    public void TakesOptionsInBothSpellings()
    {
        var reader = new ArgumentReader(["--listen", "127.0.0.1:1", "--data-dir=/tmp/x"]);

        Assert.Equal("127.0.0.1:1", reader.TakeOption("--listen"));
        Assert.Equal("/tmp/x", reader.TakeOption("--data-dir"));
        Assert.Null(reader.TakeOption("--config"));
        reader.EnsureNothingLeft();
    }

    [Fact]
    public void RepeatableOptionsKeepCommandLineOrder()
    {
        var reader = new ArgumentReader(["--set", "a=1", "--set=b=2", "--set", "a=3"]);

        Assert.Equal(["a=1", "b=2", "a=3"], reader.TakeRepeatable("--set"));
    }

    [Fact]
    public void AnOptionGivenTwiceIsRejected()
    {
        var reader = new ArgumentReader(["--listen", "a:1", "--listen", "b:2"]);

        var error = Assert.Throws<UsageException>(() => reader.TakeOption("--listen"));
        Assert.Equal("--listen was given 2 times; give it once.", error.Message);
    }

    [Theory]
    [InlineData("--listen")]
    [InlineData("--listen", "--data-dir", "x")]
    public void AnOptionWithoutAValueIsRejected(params string[] arguments)
    {
        var error = Assert.Throws<UsageException>(() => new ArgumentReader(arguments).TakeOption("--listen"));
        Assert.Equal("--listen needs a value.", error.Message);
    }

    [Fact]
    public void LeftoversAreReportedAsUnknown()
    {
        Assert.Equal("unknown option '--bogus'.", Assert.Throws<UsageException>(() => new ArgumentReader(["--bogus"]).EnsureNothingLeft()).Message);
        Assert.Equal("unexpected argument 'stray'.", Assert.Throws<UsageException>(() => new ArgumentReader(["stray"]).EnsureNothingLeft()).Message);
    }

    [Fact]
    public void FlagsAreFoundAnywhere()
    {
        var reader = new ArgumentReader(["--listen", "a:1", "-h"]);

        Assert.True(reader.TakeFlag("--help", "-h"));
        Assert.False(reader.TakeFlag("--help", "-h"));
    }

    [Fact]
    public void PositionalsComeInCommandLineOrderAroundOptions()
    {
        var reader = new ArgumentReader(["--topic", "t", "describe", "--json", "orders", "--to-offset=3"]);

        Assert.Equal("t", reader.TakeOption("--topic"));
        Assert.Equal("3", reader.TakeOption("--to-offset"));
        Assert.True(reader.TakeFlag("--json"));

        Assert.Equal("describe", reader.TakePositional());
        Assert.Equal("orders", reader.TakePositional());
        Assert.Null(reader.TakePositional());
        reader.EnsureNothingLeft();
    }

    [Fact]
    public void APositionalIsNeverAnOption()
    {
        var reader = new ArgumentReader(["--bogus", "-x", "word"]);

        Assert.Equal("word", reader.TakePositional());
        Assert.Null(reader.TakePositional());
        Assert.Equal("unknown option '--bogus'.", Assert.Throws<UsageException>(reader.EnsureNothingLeft).Message);
    }

    [Fact]
    public void ALoneDashIsAPositional()
    {
        var reader = new ArgumentReader(["-"]);

        Assert.Equal("-", reader.TakePositional());
        reader.EnsureNothingLeft();
    }

    [Fact]
    public void EverythingAfterDoubleDashIsPositional()
    {
        var reader = new ArgumentReader(["describe", "--json", "--", "--json", "-x", "--"]);

        Assert.True(reader.TakeFlag("--json"));
        Assert.False(reader.TakeFlag("--json"));   // the one after "--" is not a flag
        Assert.Null(reader.TakeOption("-x"));
        Assert.Equal("describe", reader.TakePositional());
        Assert.Equal("--json", reader.TakePositional());
        Assert.Equal("-x", reader.TakePositional());
        Assert.Equal("--", reader.TakePositional()); // only the first "--" ends the options
        Assert.Null(reader.TakePositional());
        reader.EnsureNothingLeft();
    }

    [Fact]
    public void AnOptionCannotTakeItsValueFromAfterDoubleDash()
    {
        var reader = new ArgumentReader(["--topic", "--", "t"]);

        Assert.Equal("--topic needs a value.", Assert.Throws<UsageException>(() => reader.TakeOption("--topic")).Message);
    }

    [Fact]
    public void UntakenPositionalsAfterDoubleDashAreReported()
    {
        var reader = new ArgumentReader(["a", "--", "b"]);

        Assert.Equal("a", reader.TakePositional());
        Assert.Equal("unexpected argument 'b'.", Assert.Throws<UsageException>(reader.EnsureNothingLeft).Message);
    }

    [Fact]
    public void DoubleDashAloneLeavesNothing()
    {
        var reader = new ArgumentReader(["--"]);

        Assert.Null(reader.TakePositional());
        reader.EnsureNothingLeft();
    }
}
