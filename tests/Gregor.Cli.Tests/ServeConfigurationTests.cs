using Gregor.Cli.CommandLine;
using Gregor.Cli.Configuration;

namespace Gregor.Cli.Tests;

public sealed class ServeConfigurationTests
{
    private static readonly KeyValuePair<string, string>[] NoFile = [];

    [Fact]
    public void DefaultsAreLoopback9092AndDataUnderTheCurrentDirectory()
    {
        var configuration = ServeConfiguration.Resolve(NoFile, [], null, null, "/home/user/work");

        Assert.Equal(new ListenAddress("127.0.0.1", 9092), configuration.Listen);
        Assert.Equal("/home/user/work/data", configuration.DataDirectory);
        Assert.Empty(configuration.Settings);
    }

    [Fact]
    public void SetWinsOverTheFileAndExplicitFlagsWinOverBoth()
    {
        KeyValuePair<string, string>[] file =
        [
            new("num.partitions", "1"), new("listeners", "PLAINTEXT://127.0.0.1:1111"), new("log.dirs", "/from/file"), new("log.retention.hours", "5"),
        ];

        var fromSet = ServeConfiguration.Resolve(file, ["num.partitions=4", "listeners=PLAINTEXT://127.0.0.1:2222"], null, null, "/cwd");
        var fromFlags = ServeConfiguration.Resolve(file, ["log.dirs=/from/set"], "127.0.0.1:3333", "rel", "/cwd");

        Assert.Equal("4", fromSet.Settings["num.partitions"]);
        Assert.Equal("5", fromSet.Settings["log.retention.hours"]);
        Assert.Equal(2222, fromSet.Listen.Port);
        Assert.Equal("/from/file", fromSet.DataDirectory);
        Assert.Equal(3333, fromFlags.Listen.Port);
        Assert.Equal("/cwd/rel", fromFlags.DataDirectory);
    }

    [Fact]
    public void AddressAndDirectorySettingsAreNotPassedTwice()
    {
        var configuration = ServeConfiguration.Resolve([new("log.dir", "/d"), new("listeners", "PLAINTEXT://:9092")], ["a.b=c"], null, null, "/cwd");

        Assert.Equal("/d", configuration.DataDirectory);
        Assert.Equal(new ListenAddress("0.0.0.0", 9092), configuration.Listen);
        Assert.Equal(new Dictionary<string, string> { ["a.b"] = "c" }, configuration.Settings);
    }

    [Theory]
    [InlineData("no-equals")]
    [InlineData("=value")]
    public void MalformedSetIsRejected(string assignment)
    {
        var error = Assert.Throws<UsageException>(() => ServeConfiguration.Resolve(NoFile, [assignment], null, null, "/cwd"));
        Assert.Equal($"--set expects NAME=VALUE (for example --set num.partitions=3), got '{assignment}'.", error.Message);
    }

    [Fact]
    public void SeveralLogDirectoriesAreRejected()
    {
        var error = Assert.Throws<UsageException>(() => ServeConfiguration.Resolve([new("log.dirs", "/a,/b")], [], null, null, "/cwd"));
        Assert.Equal("log.dirs lists 2 directories; Gregor keeps its data in one.", error.Message);
    }
}
