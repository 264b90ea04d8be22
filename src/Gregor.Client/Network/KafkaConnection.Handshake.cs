using System.Buffers.Binary;
using System.Reflection;
using Gregor.Protocol;
using Gregor.Protocol.Headers;
using Gregor.Protocol.Messages;
using Gregor.Protocol.Primitives;

namespace Gregor.Client.Network;

public sealed partial class KafkaConnection
{
    private const string SoftwareName = "gregor-client";

    /// <summary>
    /// ApiVersions at our highest version. A broker that does not know that version answers
    /// UNSUPPORTED_VERSION in the v0 layout, listing its own range for ApiVersions; we then retry at the
    /// highest version both know, as Kafka's clients do.
    /// </summary>
    private async Task<BrokerApiVersions> HandshakeAsync(CancellationToken cancellationToken)
    {
        short version = ApiVersionsRequest.HighestSupportedVersion;
        while (true)
        {
            var request = new ApiVersionsRequest { ClientSoftwareName = SoftwareName, ClientSoftwareVersion = SoftwareVersion() };
            byte[] frame = await SendFrameAsync(ApiKey.ApiVersions, version, request, cancellationToken);
            ApiVersionsResponse response = ReadApiVersions(frame, version);
            var error = (ErrorCode)response.ErrorCode;
            if (error == ErrorCode.None) return new BrokerApiVersions(response.ApiKeys);

            var theirs = response.ApiKeys.Find(a => a.ApiKey == (short)ApiKey.ApiVersions);
            if (error == ErrorCode.UnsupportedVersion && theirs is not null && theirs.MaxVersion < version && theirs.MaxVersion >= 0)
            {
                version = theirs.MaxVersion;
                continue;
            }
            throw KafkaErrorException.From(error, $"The broker at {Address} refused ApiVersions v{version}");
        }
    }

    /// <summary>Reads an ApiVersions answer; an UNSUPPORTED_VERSION error comes in the v0 layout whatever we sent.</summary>
    private ApiVersionsResponse ReadApiVersions(byte[] frame, short version)
    {
        try
        {
            var reader = new KafkaReader(frame);
            ResponseHeader.Read(reader, headerVersion: 0);
            short error = reader.Remaining >= 2 ? BinaryPrimitives.ReadInt16BigEndian(reader.RemainingMemory.Span) : (short)0;
            return ApiVersionsResponse.Read(reader, error == (short)ErrorCode.UnsupportedVersion ? (short)0 : version);
        }
        catch (KafkaProtocolException e)
        {
            throw new KafkaException($"The broker at {Address} sent an ApiVersions answer that could not be read: {e.Message}", e);
        }
    }

    private static string SoftwareVersion()
    {
        // Kafka allows only [a-zA-Z0-9.-] here; cut build metadata such as "+commit".
        string version = typeof(KafkaConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        int plus = version.IndexOf('+');
        return plus > 0 ? version[..plus] : version;
    }
}
