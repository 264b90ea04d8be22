using System.Net;

namespace Gregor.Broker.Handlers;

/// <summary>Small helpers the group handlers share.</summary>
internal static class GroupRequests
{
    /// <summary>The client's address as Kafka reports it in DescribeGroups: "/127.0.0.1".</summary>
    public static string ClientHost(RequestContext context) =>
        IPEndPoint.TryParse(context.Connection.RemoteAddress, out IPEndPoint? endPoint)
            ? "/" + (endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address)
            : "/" + context.Connection.RemoteAddress;
}
