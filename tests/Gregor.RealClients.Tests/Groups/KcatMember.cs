using System.Text.RegularExpressions;
using Gregor.RealClients.Tests.Infrastructure;

namespace Gregor.RealClients.Tests.Groups;

/// <summary>
/// <c>kcat -G</c>, librdkafka's balanced consumer. kcat reports each rebalance on stderr
/// ("% Group G rebalanced (memberid M): assigned: topic [0], topic [3]" or "...: revoked: ...") and
/// prints every consumed record as "partition offset" on stdout (unbuffered, -u); both become <see cref="MemberEvent"/>s.
/// </summary>
public static partial class KcatMember
{
    public static GroupMember Start(GregorProcess broker, string topic, string group, string member)
    {
        var process = LongRunningProcess.Start(member, "kcat",
            ["-b", broker.BootstrapServers, "-G", group, "-X", $"client.id={member}", "-X", "session.timeout.ms=6000",
             "-X", "heartbeat.interval.ms=500", "-o", "beginning", "-u", "-f", "%p %o\\n", topic],
            Path.GetTempPath());
        return new GroupMember(member, process, p => ReadEvents(member, p));
    }

    private static List<MemberEvent> ReadEvents(string member, LongRunningProcess process)
    {
        var events = new List<MemberEvent>();
        foreach (var line in process.StandardErrorLines())
        {
            var rebalance = Rebalance().Match(line);
            if (!rebalance.Success)
                continue;
            var listed = PartitionNumber().Matches(rebalance.Groups["list"].Value).Select(m => int.Parse(m.Groups[1].Value)).Order().ToList();
            events.Add(new MemberEvent(MemberEvent.Assignment, member, rebalance.Groups["kind"].Value == "assigned" ? listed : []));
        }
        foreach (var line in process.StandardOutputLines())
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && int.TryParse(parts[0], out var partition) && long.TryParse(parts[1], out var offset))
                events.Add(new MemberEvent(MemberEvent.Processed, member, Partition: partition, Offset: offset));
        }
        return events;
    }

    [GeneratedRegex(@"rebalanced.*?: (?<kind>assigned|revoked): (?<list>.*)$")]
    private static partial Regex Rebalance();

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex PartitionNumber();
}
