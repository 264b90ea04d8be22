namespace Gregor.Storage.Tests.Compaction;

public sealed class CompactionConfigTests
{
    private static LogConfig With(string name, string value) =>
        LogConfig.Default.WithTopicOverrides([new KeyValuePair<string, string?>(name, value)]);

    [Theory]
    [InlineData("delete", CleanupPolicy.Delete)]
    [InlineData("compact", CleanupPolicy.Compact)]
    [InlineData("compact,delete", CleanupPolicy.Compact | CleanupPolicy.Delete)]
    [InlineData("delete, compact", CleanupPolicy.Compact | CleanupPolicy.Delete)]
    public void Cleanup_policy_is_parsed_as_kafkas_list(string value, CleanupPolicy expected)
    {
        var config = With(LogConfigNames.CleanupPolicy, value);
        Assert.Equal(expected, config.CleanupPolicy);
        Assert.Equal(expected.HasFlag(CleanupPolicy.Compact), config.Compacts);
        Assert.Equal(expected.HasFlag(CleanupPolicy.Delete), config.Deletes);
    }

    [Fact]
    public void Compaction_settings_are_parsed()
    {
        var config = LogConfig.Default.WithTopicOverrides(new Dictionary<string, string?>
        {
            [LogConfigNames.DeleteRetentionMs] = "1000",
            [LogConfigNames.MinCleanableDirtyRatio] = "0.25",
            [LogConfigNames.MinCompactionLagMs] = "2000",
            [LogConfigNames.MaxCompactionLagMs] = "3000",
        });
        Assert.Equal((1000L, 0.25, 2000L, 3000L), (config.DeleteRetentionMs, config.MinCleanableDirtyRatio, config.MinCompactionLagMs, config.MaxCompactionLagMs));
        Assert.Equal((86_400_000L, 0.5, 0L, long.MaxValue, CleanupPolicy.Delete),
            (LogConfig.Default.DeleteRetentionMs, LogConfig.Default.MinCleanableDirtyRatio, LogConfig.Default.MinCompactionLagMs, LogConfig.Default.MaxCompactionLagMs, LogConfig.Default.CleanupPolicy));
    }

    [Theory]
    [InlineData(LogConfigNames.CleanupPolicy, "shred")]
    [InlineData(LogConfigNames.MinCleanableDirtyRatio, "half")]
    [InlineData(LogConfigNames.DeleteRetentionMs, "1.5")]
    public void Malformed_values_name_the_setting(string name, string value)
    {
        var error = Assert.Throws<FormatException>(() => With(name, value));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Out_of_range_values_are_rejected_by_validate()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => (LogConfig.Default with { MinCleanableDirtyRatio = 1.5 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (LogConfig.Default with { DeleteRetentionMs = -1 }).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => (LogConfig.Default with { CleanupPolicy = 0 }).Validate());
    }
}
