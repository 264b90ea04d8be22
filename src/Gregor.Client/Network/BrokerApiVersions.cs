using Gregor.Protocol;
using Gregor.Protocol.Messages;

namespace Gregor.Client.Network;

/// <summary>The API version ranges one broker announced in its ApiVersions answer.</summary>
public sealed class BrokerApiVersions
{
    private readonly Dictionary<ApiKey, (short Min, short Max)> _ranges;

    public BrokerApiVersions(IEnumerable<ApiVersionsResponse.ApiVersion> announced)
    {
        _ranges = [];
        foreach (var api in announced) _ranges[(ApiKey)api.ApiKey] = (api.MinVersion, api.MaxVersion);
    }

    public IReadOnlyCollection<ApiKey> Keys => _ranges.Keys;

    public bool TryGetRange(ApiKey key, out short min, out short max)
    {
        bool found = _ranges.TryGetValue(key, out var range);
        (min, max) = range;
        return found;
    }

    /// <summary>
    /// The highest version both sides speak: the top of the overlap between the client's range and the
    /// broker's. Throws <see cref="KafkaUnsupportedApiException"/> when the ranges do not meet.
    /// </summary>
    public short Negotiate(ApiKey key, short clientMin, short clientMax, BrokerAddress broker)
    {
        string name = ApiMessages.TryGet(key, out var info) ? info.Name : $"API {(short)key}";
        if (!_ranges.TryGetValue(key, out var range))
            throw new KafkaUnsupportedApiException(key, $"The broker at {broker} does not support {name}.");
        short version = Math.Min(clientMax, range.Max);
        if (version < clientMin || version < range.Min)
            throw new KafkaUnsupportedApiException(key,
                $"The broker at {broker} offers {name} versions {range.Min}-{range.Max}, and this client speaks {clientMin}-{clientMax}.");
        return version;
    }
}
