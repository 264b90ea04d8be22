using Gregor.Cli.Backup;
using Gregor.Cli.CommandLine;
using Gregor.Cli.Commands.Backup;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Commands.Restore;

/// <summary><c>gregor restore SRC</c>: checks a backup, or loads it into a broker with the original offsets and group positions.</summary>
internal sealed class RestoreCommand(KafkaClientOptions? clientOptions = null) : ICliCommand
{
    private readonly KafkaClientOptions _clientOptions = clientOptions ?? new KafkaClientOptions { ClientId = "gregor-restore" };

    public string Name => "restore";

    public string Summary => "restore a backup (topics, data at the original offsets, group offsets), or --verify it";

    public string Help => """
        Usage: gregor restore SRC [options]
               gregor restore SRC --verify

        Checks every file of the backup against its SHA-256 first (nothing is written from a damaged
        backup), then creates the topics with their partition counts and configs and reloads the data.
        Where a target partition is empty and the backup holds it whole from offset 0, every batch is
        written as it was and lands at its original offset, byte for byte. Otherwise (offset gaps left by
        compaction or retention, or a target that already holds data) the records get new offsets and
        group offsets are translated so each group resumes at the same record. Finally the groups'
        committed offsets are re-committed; the groups must have no running consumers on the target.

        Options:
          --bootstrap-server HOST:PORT  broker to restore into (default 127.0.0.1:9092)
          --verify                      only check checksums, CRCs and the manifest; contacts no broker
          --topic T                     restore only this topic of the backup (repeatable)
          --rename OLD=NEW              restore topic OLD under the name NEW (repeatable)
          --prefix P                    restore every other topic as P + its name
          --group G                     restore only this group's offsets (repeatable)
          --no-groups                   restore no group offsets
          --into-existing               append to topics that exist and hold data (records get new offsets)
          --json                        print a JSON summary instead of tables
          -h, --help                    show this help

        Examples:
          gregor restore /backups/orders --verify
          gregor restore /backups/orders --bootstrap-server 10.0.0.6:9092
          gregor restore /backups/orders --rename orders=orders-restored --no-groups
          gregor restore /backups/all --prefix dr- --json

        Exit codes: 0 done (or backup sound), 1 failed, refused or damaged (one sentence on stderr), 2 bad command line.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        string bootstrap = BootstrapServerOption.Take(arguments);
        bool json = arguments.TakeFlag("--json");
        bool verify = arguments.TakeFlag("--verify");
        bool noGroups = arguments.TakeFlag("--no-groups");
        bool intoExisting = arguments.TakeFlag("--into-existing");
        var topics = arguments.TakeRepeatable("--topic");
        var groups = arguments.TakeRepeatable("--group");
        var renames = ParseRenames(arguments.TakeRepeatable("--rename"));
        string prefix = arguments.TakeOption("--prefix") ?? "";
        string source = arguments.TakePositional() ?? throw new UsageException("name the backup directory: gregor restore SRC.");
        arguments.EnsureNothingLeft();
        if (noGroups && groups.Count > 0) throw new UsageException("give --group or --no-groups, not both.");
        string directory = Path.GetFullPath(source);

        try
        {
            if (verify) return await VerifyAsync(directory, json, console);
            var options = new RestoreOptions
            {
                Directory = directory,
                Renames = renames,
                Prefix = prefix,
                Topics = topics,
                IncludeGroups = !noGroups,
                Groups = groups.Count > 0 ? groups : null,
                IntoExisting = intoExisting,
            };
            var progress = new ProgressBar(console, "bytes");
            RestoreResult result;
            try
            {
                await using KafkaAdminClient admin = await AdminConnection.ConnectAsync(bootstrap, _clientOptions, cancellationToken);
                result = await new RestoreEngine(admin, _clientOptions) { Progress = progress.Callback }.RunAsync(options, cancellationToken);
            }
            finally
            {
                progress.Finish();
            }
            await ReportAsync(result, json, console);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is KafkaException or BackupFormatException or RestoreRefusedException or IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"gregor restore: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static async Task<int> VerifyAsync(string directory, bool json, CliConsole console)
    {
        var progress = new ProgressBar(console, "bytes");
        VerifyReport report = BackupVerifier.Verify(directory, progress.Callback);
        progress.Finish();
        if (json)
        {
            await CliJson.WriteAsync(console, new
            {
                directory,
                sound = report.IsSound,
                generation = report.Manifest.Generation,
                chunks = report.ChunksChecked,
                bytes = report.BytesChecked,
                problems = report.Problems,
            });
        }
        else if (report.IsSound)
        {
            await console.Out.WriteLineAsync($"Backup {directory} is sound: generation {report.Manifest.Generation}, " +
                $"{report.Manifest.Topics.Count} topic(s), {report.Manifest.Groups.Count} group(s), {report.ChunksChecked} file(s), {report.BytesChecked} bytes checked.");
        }
        foreach (string problem in report.Problems) await console.Error.WriteLineAsync($"gregor restore: {problem}");
        if (!report.IsSound && !json)
            await console.Error.WriteLineAsync($"gregor restore: the backup in {directory} is damaged ({report.Problems.Count} problem(s)).");
        return report.IsSound ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static async Task ReportAsync(RestoreResult result, bool json, CliConsole console)
    {
        foreach (string warning in result.Warnings) await console.Error.WriteLineAsync($"gregor restore: warning: {warning}");
        if (json)
        {
            await CliJson.WriteAsync(console, new { partitions = result.Partitions, groups = result.Groups, warnings = result.Warnings });
            return;
        }
        var table = new TextTable("TOPIC", "PARTITION", "RECORDS", "BYTES", "END-OFFSET", "OFFSETS");
        foreach (PartitionRestore p in result.Partitions)
            table.Add(p.Topic, p.Partition, p.Records, p.Bytes, p.EndOffset, p.OriginalOffsets ? "original" : "new");
        await console.Out.WriteAsync(table.ToString());
        if (result.Groups.Count > 0)
        {
            var groups = new TextTable("GROUP", "PARTITIONS", "TRANSLATED");
            foreach (GroupRestore g in result.Groups) groups.Add(g.GroupId, g.Partitions, g.Translated);
            await console.Out.WriteAsync(groups.ToString());
        }
        await console.Out.WriteLineAsync($"Restored {result.Partitions.Count} partition(s) and the offsets of {result.Groups.Count} group(s).");
    }

    private static Dictionary<string, string> ParseRenames(IReadOnlyList<string> pairs)
    {
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
                throw new UsageException($"--rename expects OLD=NEW, got '{pair}'.");
            if (!renames.TryAdd(pair[..equals], pair[(equals + 1)..]))
                throw new UsageException($"--rename names topic '{pair[..equals]}' twice.");
        }
        return renames;
    }
}
