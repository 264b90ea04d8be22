using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gregor.Bench.Client;

/// <summary>Points Confluent.Kafka at Debian's librdkafka 2.0.2 (the feed has no librdkafka.redist).</summary>
internal static class LibrdkafkaResolver
{
    [ModuleInitializer]
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string? path = libraryName switch
        {
            "librdkafka" => "/usr/lib/x86_64-linux-gnu/librdkafka.so.1",
            "libdl" => "libdl.so.2",
            _ => null,
        };
        return path is not null && NativeLibrary.TryLoad(path, out var handle) ? handle : IntPtr.Zero;
    }
}
