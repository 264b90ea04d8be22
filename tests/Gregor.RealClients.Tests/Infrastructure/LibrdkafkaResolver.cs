using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>
/// Points Confluent.Kafka at Debian's librdkafka (the NuGet feed has no librdkafka.redist).
/// Runs when the test assembly loads, before any Confluent.Kafka type is touched.
/// </summary>
internal static class LibrdkafkaResolver
{
    public const string LibrdkafkaPath = "/usr/lib/x86_64-linux-gnu/librdkafka.so.1";

    [ModuleInitializer]
    internal static void Register()
    {
        var confluent = typeof(Confluent.Kafka.Library).Assembly;
        NativeLibrary.SetDllImportResolver(confluent, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var path = libraryName switch
        {
            "librdkafka" => LibrdkafkaPath,
            "libdl" => "libdl.so.2",
            _ => null,
        };
        return path is not null && NativeLibrary.TryLoad(path, out var handle) ? handle : IntPtr.Zero;
    }
}
