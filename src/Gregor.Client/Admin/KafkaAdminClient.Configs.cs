using Gregor.Client.Network;
using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Admin;

public sealed partial class KafkaAdminClient
{
    /// <summary>
    /// The configs of topics and brokers (DescribeConfigs): each entry's effective value, where it comes
    /// from, and whether it is read-only or sensitive. Topic resources go to any broker, a broker
    /// resource to that broker. Each resource is answered on its own, in the order given.
    /// </summary>
    /// <param name="includeSynonyms">Also list, for each entry, the values it overrides (e.g. the broker setting under a topic config).</param>
    public Task<IReadOnlyList<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources,
        bool includeSynonyms = false, CancellationToken cancellationToken = default)
    {
        List<ConfigResource> wanted = resources.Distinct().ToList();
        return WithRetriesAsync<IReadOnlyList<DescribeConfigsResult>>("Describing configs", async token =>
        {
            var results = new Dictionary<ConfigResource, DescribeConfigsResult>();
            var unknownBrokers = new List<ConfigResource>();
            foreach (var (connection, ofBroker) in await RouteAsync(wanted, unknownBrokers, token))
            {
                short version = connection.Negotiate(ApiKey.DescribeConfigs);
                var request = new DescribeConfigsRequest
                {
                    IncludeSynonyms = includeSynonyms,
                    Resources = [.. ofBroker.Select(r => new DescribeConfigsRequest.DescribeConfigsResource
                    {
                        ResourceType = (sbyte)r.Type,
                        ResourceName = r.Name,
                        ConfigurationKeys = null, // every key
                    })],
                };
                var response = await connection.SendAsync<DescribeConfigsResponse>(ApiKey.DescribeConfigs, version, request, token);
                foreach (var answer in response.Results)
                {
                    var resource = new ConfigResource((ConfigResourceType)answer.ResourceType, answer.ResourceName);
                    var entries = answer.Configs.Select(c => new ConfigEntry(c.Name, c.Value, (ConfigSource)c.ConfigSource,
                            c.ReadOnly, c.IsSensitive, (ConfigValueType)c.ConfigType,
                            c.Synonyms.Select(s => new ConfigSynonym(s.Name, s.Value, (ConfigSource)s.Source)).ToList()))
                        .OrderBy(e => e.Name, StringComparer.Ordinal)
                        .ToList();
                    results[resource] = new DescribeConfigsResult(resource, entries, (ErrorCode)answer.ErrorCode, answer.ErrorMessage);
                }
            }
            foreach (ConfigResource r in unknownBrokers)
                results[r] = new DescribeConfigsResult(r, [], ErrorCode.BrokerNotAvailable, NotInCluster(r));
            return wanted.Select(r => results.TryGetValue(r, out var result) ? result
                : new DescribeConfigsResult(r, [], ErrorCode.UnknownServerError, $"the broker did not answer for {r}")).ToList();
        }, cancellationToken);
    }

    /// <summary>The configs of one resource.</summary>
    /// <exception cref="KafkaErrorException">The resource does not exist or could not be described.</exception>
    public async Task<DescribeConfigsResult> DescribeConfigAsync(ConfigResource resource, bool includeSynonyms = false,
        CancellationToken cancellationToken = default)
    {
        DescribeConfigsResult result = (await DescribeConfigsAsync([resource], includeSynonyms, cancellationToken))[0];
        result.ThrowIfFailed();
        return result;
    }

    /// <summary>
    /// Changes single configs (IncrementalAlterConfigs): set or delete an override, append to or subtract
    /// from a list. Configs not named keep their values. Each resource is answered on its own.
    /// </summary>
    public Task<IReadOnlyList<AlterConfigsResult>> IncrementalAlterConfigsAsync(
        IReadOnlyDictionary<ConfigResource, IReadOnlyList<ConfigAlteration>> changes, bool validateOnly = false,
        CancellationToken cancellationToken = default)
    {
        var wanted = changes.ToList();
        foreach (var (_, alterations) in wanted)
            foreach (ConfigAlteration change in alterations)
                if (change.Operation != AlterConfigOperation.Delete && change.Value is null)
                    throw new ArgumentException($"{change.Operation} of config '{change.Name}' needs a value.", nameof(changes));
        return WithRetriesAsync<IReadOnlyList<AlterConfigsResult>>("Changing configs", async token =>
        {
            var byResource = wanted.ToDictionary(w => w.Key, w => w.Value);
            var results = new Dictionary<ConfigResource, AlterConfigsResult>();
            var unknownBrokers = new List<ConfigResource>();
            foreach (var (connection, ofBroker) in await RouteAsync(byResource.Keys.ToList(), unknownBrokers, token))
            {
                short version = connection.Negotiate(ApiKey.IncrementalAlterConfigs);
                var request = new IncrementalAlterConfigsRequest
                {
                    ValidateOnly = validateOnly,
                    Resources = [.. ofBroker.Select(r => new IncrementalAlterConfigsRequest.AlterConfigsResource
                    {
                        ResourceType = (sbyte)r.Type,
                        ResourceName = r.Name,
                        Configs = [.. byResource[r].Select(c => new IncrementalAlterConfigsRequest.AlterableConfig
                        {
                            Name = c.Name,
                            ConfigOperation = (sbyte)c.Operation,
                            Value = c.Value,
                        })],
                    })],
                };
                var response = await connection.SendAsync<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, version, request, token);
                foreach (var answer in response.Responses)
                {
                    var resource = new ConfigResource((ConfigResourceType)answer.ResourceType, answer.ResourceName);
                    results[resource] = new AlterConfigsResult(resource, (ErrorCode)answer.ErrorCode, answer.ErrorMessage);
                }
            }
            foreach (ConfigResource r in unknownBrokers)
                results[r] = new AlterConfigsResult(r, ErrorCode.BrokerNotAvailable, NotInCluster(r));
            return Ordered(wanted.Select(w => w.Key), results);
        }, cancellationToken);
    }

    /// <summary>
    /// Replaces every override of each resource with the configs given (AlterConfigs): a config left out
    /// goes back to its default. Prefer <see cref="IncrementalAlterConfigsAsync"/> to change single configs.
    /// </summary>
    public Task<IReadOnlyList<AlterConfigsResult>> AlterConfigsAsync(
        IReadOnlyDictionary<ConfigResource, IReadOnlyDictionary<string, string>> replacements, bool validateOnly = false,
        CancellationToken cancellationToken = default)
    {
        var wanted = replacements.ToList();
        return WithRetriesAsync<IReadOnlyList<AlterConfigsResult>>("Replacing configs", async token =>
        {
            var byResource = wanted.ToDictionary(w => w.Key, w => w.Value);
            var results = new Dictionary<ConfigResource, AlterConfigsResult>();
            var unknownBrokers = new List<ConfigResource>();
            foreach (var (connection, ofBroker) in await RouteAsync(byResource.Keys.ToList(), unknownBrokers, token))
            {
                short version = connection.Negotiate(ApiKey.AlterConfigs);
                var request = new AlterConfigsRequest
                {
                    ValidateOnly = validateOnly,
                    Resources = [.. ofBroker.Select(r => new AlterConfigsRequest.AlterConfigsResource
                    {
                        ResourceType = (sbyte)r.Type,
                        ResourceName = r.Name,
                        Configs = [.. byResource[r].Select(c => new AlterConfigsRequest.AlterableConfig { Name = c.Key, Value = c.Value })],
                    })],
                };
                var response = await connection.SendAsync<AlterConfigsResponse>(ApiKey.AlterConfigs, version, request, token);
                foreach (var answer in response.Responses)
                {
                    var resource = new ConfigResource((ConfigResourceType)answer.ResourceType, answer.ResourceName);
                    results[resource] = new AlterConfigsResult(resource, (ErrorCode)answer.ErrorCode, answer.ErrorMessage);
                }
            }
            foreach (ConfigResource r in unknownBrokers)
                results[r] = new AlterConfigsResult(r, ErrorCode.BrokerNotAvailable, NotInCluster(r));
            return Ordered(wanted.Select(w => w.Key), results);
        }, cancellationToken);
    }

    private static string NotInCluster(ConfigResource resource) => $"broker {resource.Name} is not in the cluster";

    private static List<AlterConfigsResult> Ordered(IEnumerable<ConfigResource> asked, Dictionary<ConfigResource, AlterConfigsResult> results) =>
        asked.Select(r => results.TryGetValue(r, out var result) ? result
            : new AlterConfigsResult(r, ErrorCode.UnknownServerError, $"the broker did not answer for {r}")).ToList();

    /// <summary>
    /// Which broker each resource's request goes to: a broker resource to that broker (it alone knows its
    /// settings), everything else to any broker. Broker resources naming no broker of the cluster are
    /// added to <paramref name="unknownBrokers"/> and sent nowhere.
    /// </summary>
    private async Task<List<(KafkaConnection Connection, List<ConfigResource> Resources)>> RouteAsync(
        IReadOnlyList<ConfigResource> resources, List<ConfigResource> unknownBrokers, CancellationToken cancellationToken)
    {
        var routes = new List<(KafkaConnection, List<ConfigResource>)>();
        if (resources.Count == 0) return routes;
        MetadataResponse? metadata = null;
        var byConnection = new Dictionary<KafkaConnection, List<ConfigResource>>();
        foreach (ConfigResource resource in resources)
        {
            KafkaConnection connection;
            if (resource.Type is ConfigResourceType.Broker or ConfigResourceType.BrokerLogger && resource.Name.Length > 0)
            {
                metadata ??= await MetadataAsync([], cancellationToken);
                var broker = metadata.Brokers.Find(b => b.NodeId.ToString(System.Globalization.CultureInfo.InvariantCulture) == resource.Name);
                if (broker is null)
                {
                    unknownBrokers.Add(resource);
                    continue;
                }
                connection = await _connections.GetAsync(new BrokerAddress(broker.Host, broker.Port), cancellationToken);
            }
            else
            {
                connection = await _connections.AnyAsync(cancellationToken);
            }
            if (!byConnection.TryGetValue(connection, out var list))
            {
                byConnection[connection] = list = [];
                routes.Add((connection, list));
            }
            list.Add(resource);
        }
        return routes;
    }
}
