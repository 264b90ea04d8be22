using Gregor.Cli.CommandLine;

namespace Gregor.Cli.Commands.DumpLog;

/// <summary>
/// <c>gregor dump-log PATH...</c>: decodes segment, index and producer-snapshot files offline, like
/// Kafka's kafka-dump-log. Opens every file read-only, so it is safe on a copy of a data directory and
/// harmless on a live one.
/// </summary>
internal sealed class DumpLogCommand : ICliCommand
{
    public string Name => "dump-log";

    public string Summary => "decode segment, index and snapshot files offline (kafka-dump-log)";

    public string Help => """
        Usage: gregor dump-log PATH... [--records] [--verify] [--json]

        Decodes the files of a partition directory without a broker: for each segment (.log) every
        record batch with its base and last offset, record count, position and size, producer id,
        epoch and sequences, transactional and control flags, compression codec, partition leader
        epoch, timestamp type, max timestamp and whether its CRC is valid; the entries of offset
        (.index) and time (.timeindex) indexes; the producers of a producer-state snapshot
        (.snapshot). Other files are listed as not decoded. Files are opened read-only.

        PATH is a partition directory (DATA_DIR/TOPIC-PARTITION: all its files, in offset order) or
        a single file.

        Options:
          --records        also print every record: offset, timestamp, key, value, headers
                           (Kafka's --print-data-log / --deep-iteration). Keys, values and header
                           values show as quoted UTF-8 text when they are valid UTF-8, else as
                           base64:... (in JSON: a "keyEncoding"/"valueEncoding" of utf8 or base64)
          --verify         check each index against its segment: every offset-index entry must name
                           the base offset of the batch starting at its position, every time-index
                           entry the batch whose max timestamp it records; offsets, positions and
                           timestamps must grow (Kafka's --verify-index-only)
          --json           print a JSON array with one object per file (batches, entries or producers)
          --files A,B      Kafka's way of naming files; the same as giving them as PATHs
          -h, --help       show this help

        Examples:
          gregor dump-log /var/lib/gregor/orders-0
          gregor dump-log /var/lib/gregor/orders-0/00000000000000000000.log --records
          gregor dump-log /backup/orders-0 --verify
          gregor dump-log orders-0 --json | jq '[.[] | .batches[]? | .count] | add'

        Damage is reported, not fatal: a batch whose CRC fails is marked VALID no (isValid false)
        and the walk goes on; a batch cut short ("truncated batch at position N") or an unreadable
        header ends that file's walk; the next file is still dumped.

        Exit codes: 0 everything valid, 1 something invalid or inconsistent (see PROBLEM lines, or
        "valid": false in JSON), 2 bad command line or a PATH that does not exist.

        """;

    public async Task<int> RunAsync(ArgumentReader arguments, CliConsole console, CancellationToken cancellationToken)
    {
        DumpLogCommandLine line = DumpLogCommandLine.Parse(arguments);
        List<DumpTarget> targets = DumpTargets.Expand(line.Paths);
        var segments = new LastSegment();
        var reports = new List<FileReport>(targets.Count);
        int invalidFiles = 0;
        foreach (DumpTarget target in targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            FileReport report = Dump(target, line, segments);
            if (!report.Valid) invalidFiles++;
            if (line.Json) reports.Add(report);
            else await console.Out.WriteAsync(TextReport.Render(report));
        }

        if (line.Json) await CliJson.WriteAsync(console, reports);
        if (invalidFiles == 0) return ExitCodes.Success;
        await console.Error.WriteLineAsync($"gregor dump-log: {invalidFiles} of {targets.Count} file(s) hold invalid or inconsistent data.");
        return ExitCodes.Failure;
    }

    private static FileReport Dump(DumpTarget target, DumpLogCommandLine line, LastSegment segments)
    {
        try
        {
            switch (target.Kind)
            {
                case DumpFileKind.Log:
                    FileReport segment = SegmentDumper.Dump(target, line.Records);
                    segments.Remember(target.Path, segment);
                    return segment;
                case DumpFileKind.Index or DumpFileKind.TimeIndex:
                    FileReport index = IndexDumper.Dump(target);
                    if (line.Verify)
                    {
                        string segmentPath = DumpTargets.SegmentBeside(target);
                        IndexVerifier.Verify(index, segments.Get(segmentPath), segmentPath);
                    }
                    return index;
                case DumpFileKind.Snapshot:
                    return SnapshotDumper.Dump(target);
                default:
                    return new FileReport(target.Path, target.KindName) { SizeBytes = new FileInfo(target.Path).Length, Note = "not decoded." };
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var unreadable = new FileReport(target.Path, target.KindName) { BaseOffset = target.BaseOffset };
            unreadable.Problems.Add($"cannot read the file: {e.Message.TrimEnd('.')}.");
            return unreadable;
        }
    }

    /// <summary>
    /// The segment an index is verified against. In a partition directory a segment comes just before
    /// its indexes, so only the latest one is kept; an index named alone gets its segment scanned (headers only).
    /// </summary>
    private sealed class LastSegment
    {
        private string? _path;
        private FileReport? _report;

        public void Remember(string path, FileReport report)
        {
            _path = Path.GetFullPath(path);
            _report = report;
        }

        public FileReport? Get(string segmentPath)
        {
            if (_path != Path.GetFullPath(segmentPath))
            {
                if (!File.Exists(segmentPath)) return null;
                Remember(segmentPath, SegmentDumper.Dump(DumpTargets.Classify(segmentPath), withRecords: false));
            }
            return _report;
        }
    }
}
