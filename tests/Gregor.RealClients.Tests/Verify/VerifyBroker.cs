namespace Gregor.RealClients.Tests.Verify;

/// <summary>How the verify tests run their broker.</summary>
internal static class VerifyBroker
{
    /// <summary>Short session timeouts keep each rebalance after a kill short; the broker must allow them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["group.initial.rebalance.delay.ms"] = "0",
        ["group.min.session.timeout.ms"] = "1000",
        ["offsets.topic.num.partitions"] = "5",
    };
}
