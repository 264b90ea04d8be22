using Gregor.Cli.Backup;
using Gregor.Cli.CommandLine;
using Gregor.Client;
using Gregor.Client.Admin;

namespace Gregor.Cli.Commands.Backup;

/// <summary><c>gregor backup DEST</c>: full, then incremental, backups of topics and group offsets into a directory.</summary>
internal sealed class BackupCommand(KafkaClientOptions? clientOptions = null) : ICliCommand
{
    private readonly KafkaClientOptions _clientOptions = clientOptions ?? new KafkaClientOptions { ClientId = "gregor-backup" };

    public string Name => "backup";

    public string Summary => "back up topics and consumer group offsets into a directory (incremental on re-run)";

    public string Help => """
        Usage: gregor backup DEST (--topic T ... | --all) [options]

        Copies the chosen topics' record batches exactly as the broker stores them (compressed batches
        stay compressed, CRCs intact), their partition counts and config overrides, and the committed
        offsets of consumer groups into the directory DEST, with a manifest and a SHA-256 of every file.
        Each partition is copied up to the high watermark read when the backup starts, so producers may
        keep writing. Running it again into the same DEST copies only what is new since the last run
        (a new manifest generation); without --topic/--all it backs up the same topics as before.
        The manifest is written last: a backup that was killed never looks complete.

        Options:
          --bootstrap-server HOST:PORT  broker to contact (default 127.0.0.1:9092)
          --topic T                     a topic to back up (repeatable)
          --all                         every topic except internal ones (__consumer_offsets)
          --group G                     keep only these groups' offsets (repeatable; default: every group
                                        with offsets on the topics backed up)
          --no-groups                   keep no group offsets
          --chunk-size BYTES            size at which a data file is closed (default 67108864)
          --json                        print a JSON summary instead of tables
          -h, --help                    show this help

        Examples:
          gregor backup /backups/orders --topic orders --topic payments
          gregor backup /backups/all --all --bootstrap-server 10.0.0.5:9092
          gregor backup /backups/orders                 # later: copies only the new batches
          gregor backup /backups/orders --json | jq .bytesCopied

        Exit codes: 0 done, 1 failed (one sentence on stderr), 2 bad command line.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        string bootstrap = BootstrapServerOption.Take(arguments);
        bool json = arguments.TakeFlag("--json");
        bool all = arguments.TakeFlag("--all");
        bool noGroups = arguments.TakeFlag("--no-groups");
        var topics = arguments.TakeRepeatable("--topic");
        var groups = arguments.TakeRepeatable("--group");
        int chunkBytes = ParseChunkSize(arguments.TakeOption("--chunk-size"));
        string destination = arguments.TakePositional() ?? throw new UsageException("name the backup directory: gregor backup DEST --topic T.");
        arguments.EnsureNothingLeft();
        if (all && topics.Count > 0) throw new UsageException("give --topic or --all, not both.");
        if (noGroups && groups.Count > 0) throw new UsageException("give --group or --no-groups, not both.");
        if (topics.Any(t => t.Length == 0)) throw new UsageException("--topic must not be empty.");

        var options = new BackupOptions
        {
            Directory = Path.GetFullPath(destination),
            Topics = topics,
            AllTopics = all,
            Groups = groups.Count > 0 ? groups : null,
            IncludeGroups = !noGroups,
            ChunkBytes = chunkBytes,
        };
        var progress = new ProgressBar(console, "offsets");
        BackupResult result;
        try
        {
            await using KafkaAdminClient admin = await AdminConnection.ConnectAsync(bootstrap, _clientOptions, cancellationToken);
            result = await new BackupEngine(admin, _clientOptions) { Progress = progress.Callback }.RunAsync(options, cancellationToken);
        }
        catch (Exception e) when (e is KafkaException or BackupFormatException or IOException or UnauthorizedAccessException)
        {
            progress.Finish();
            await console.Error.WriteLineAsync($"gregor backup: {e.Message}");
            return ExitCodes.Failure;
        }
        progress.Finish();

        foreach (string warning in result.Warnings) await console.Error.WriteLineAsync($"gregor backup: warning: {warning}");
        if (json)
        {
            await CliJson.WriteAsync(console, new
            {
                directory = options.Directory,
                generation = result.Manifest.Generation,
                incremental = result.Incremental,
                bytesCopied = result.BytesCopied,
                partitions = result.Partitions,
                groups = result.Manifest.Groups.Select(g => g.GroupId),
                warnings = result.Warnings,
            });
            return ExitCodes.Success;
        }

        var table = new TextTable("TOPIC", "PARTITION", "FROM-OFFSET", "END-OFFSET", "BYTES", "FILES");
        foreach (PartitionCopy copy in result.Partitions)
            table.Add(copy.Topic, copy.Partition, copy.FromOffset, copy.EndOffset, copy.Bytes, copy.Files);
        await console.Out.WriteAsync(table.ToString());
        await console.Out.WriteLineAsync(
            $"{(result.Incremental ? "Incremental backup" : "Full backup")} generation {result.Manifest.Generation} written to {options.Directory}: " +
            $"{result.BytesCopied} bytes copied, {result.Manifest.Groups.Count} group(s) kept.");
        return ExitCodes.Success;
    }

    private static int ParseChunkSize(string? text)
    {
        if (text is null) return new BackupOptions { Directory = "" }.ChunkBytes;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int bytes) || bytes < 1024)
            throw new UsageException($"--chunk-size expects a number of bytes of at least 1024, got '{text}'.");
        return bytes;
    }

}
