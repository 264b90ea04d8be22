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
}
