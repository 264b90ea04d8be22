namespace Gregor.RealClients.Tests.Infrastructure;

/// <summary>Paths inside the Gregor checkout, found by walking up from the test binaries to Gregor.slnx.</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    public static string GregorScript => Path.Combine(Root, "gregor");

    public static string CliDll => Path.Combine(Root, "artifacts", "cli", "gregor.dll");

    public static string NodeClientsDirectory => Path.Combine(Root, "tests", "clients", "node");

    public static string PythonClientsDirectory => Path.Combine(AppContext.BaseDirectory, "clients", "python");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Gregor.slnx")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"Gregor.slnx not found above {AppContext.BaseDirectory}; run the tests from the checkout.");
    }
}
