using Gregor.Broker.Topics;
using Gregor.Protocol;

namespace Gregor.Broker.Handlers;

/// <summary>What the two config-altering APIs share.</summary>
internal static class ConfigChanges
{
    public static readonly TopicResult BrokerConfigsAreStatic = TopicResult.Fail(ErrorCode.InvalidRequest,
        "Gregor's broker settings are static: set them in server.properties (--config) or with --set, then restart.");
}
