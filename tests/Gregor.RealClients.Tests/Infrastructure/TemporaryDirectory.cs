namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>A fresh directory under the system's temp folder that a test owns; disposing deletes it with everything inside.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    private TemporaryDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>Creates <c>{temp}/{prefix}-{12 random hex digits}</c>.</summary>
    public static TemporaryDirectory Create(string prefix)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(path);
        return new TemporaryDirectory(path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the test that owned it.
        }
    }
}
