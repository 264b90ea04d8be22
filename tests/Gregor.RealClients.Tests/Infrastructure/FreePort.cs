using System.Net;
using System.Net.Sockets;

namespace Gregor.RealClients.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (the OS picks it; we release it for the broker).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
