using Gregor.Broker.Config;

namespace Gregor.Broker.Tests;

/// <summary>
/// docs/configuration.md must describe every setting the broker accepts, with the defaults the code
/// really uses, so the document cannot silently fall behind the code.
/// </summary>
public class DocumentationTests
{
    private const string ConfigurationDoc = "docs/configuration.md";

    [Fact]
    public void Every_broker_setting_has_a_row_with_its_default()
    {
        IReadOnlyDictionary<string, string> rows = TableRowsByName(ReadDoc(ConfigurationDoc));
        var problems = new List<string>();
        foreach (BrokerSettingDefinition setting in BrokerSettings.Definitions)
        {
            if (!rows.TryGetValue(setting.Name, out string? row)) problems.Add($"no table row for `{setting.Name}`");
            else if (setting.Default is { } value && !row.Contains($"`{value}`", StringComparison.Ordinal))
                problems.Add($"the row of `{setting.Name}` does not give its default `{value}`");
        }
        Assert.True(problems.Count == 0, $"{ConfigurationDoc} is behind BrokerSettings.Definitions:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_topic_setting_has_a_row_naming_the_broker_setting_it_defaults_from()
    {
        IReadOnlyDictionary<string, string> rows = TableRowsByName(ReadDoc(ConfigurationDoc));
        var problems = new List<string>();
        foreach (TopicConfigDefinition setting in TopicConfigDefinitions.All)
        {
            // A topic setting may share its name with a broker setting (min.insync.replicas); then the
            // broker row is the one found, and it must still say that topics default from it.
            if (!rows.TryGetValue(setting.Name, out string? row)) problems.Add($"no table row for `{setting.Name}`");
            else if (setting.Name != setting.BrokerSetting && !row.Contains($"`{setting.BrokerSetting}`", StringComparison.Ordinal))
                problems.Add($"the row of `{setting.Name}` does not name `{setting.BrokerSetting}`, the broker setting it defaults from");
        }
        Assert.True(problems.Count == 0, $"{ConfigurationDoc} is behind TopicConfigDefinitions.All:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_table_row_names_a_setting_that_exists()
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (BrokerSettingDefinition setting in BrokerSettings.Definitions) known.Add(setting.Name);
        foreach (TopicConfigDefinition setting in TopicConfigDefinitions.All) known.Add(setting.Name);

        string[] stale = TableRowsByName(ReadDoc(ConfigurationDoc)).Keys
            .Where(name => !known.Contains(name) && !name.StartsWith("--", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.True(stale.Length == 0, $"{ConfigurationDoc} has rows for settings the broker does not define: {string.Join(", ", stale)}");
    }

    [Fact]
    public void Table_rows_are_found_by_their_first_cell()
    {
        // Guards the parser the tests above rely on: a parser that finds nothing would make them vacuous.
        IReadOnlyDictionary<string, string> rows = TableRowsByName("""
            | Setting | Default |
            |---|---|
            | `num.partitions` | `1` |
            Some prose mentioning `log.segment.bytes`.
            """);
        Assert.Equal(["num.partitions"], rows.Keys);
        Assert.Contains("`1`", rows["num.partitions"], StringComparison.Ordinal);
    }

    /// <summary>Markdown table rows whose first cell is one code span, keyed by that span's text (first row wins).</summary>
    private static IReadOnlyDictionary<string, string> TableRowsByName(string markdown)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string rawLine in markdown.Split('\n'))
        {
            string line = rawLine.Trim();
            if (!line.StartsWith('|')) continue;
            int cellEnd = line.IndexOf('|', 1);
            if (cellEnd < 0) continue;
            string firstCell = line[1..cellEnd].Trim();
            if (firstCell.Length < 3 || firstCell[0] != '`' || firstCell[^1] != '`' || firstCell.IndexOf('`', 1) != firstCell.Length - 1) continue;
            rows.TryAdd(firstCell[1..^1], line);
        }
        return rows;
    }

    private static string ReadDoc(string relativePath)
    {
        string path = Path.Combine(FindRepoRoot(), relativePath);
        Assert.True(File.Exists(path), $"{relativePath} is missing (looked at {path}).");
        return File.ReadAllText(path).Replace("\r\n", "\n");
    }

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Gregor.slnx"))) return directory.FullName;
        throw new InvalidOperationException($"No directory above {AppContext.BaseDirectory} holds Gregor.slnx; the documentation cannot be found.");
    }
}
