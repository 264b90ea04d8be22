using System.Diagnostics;
using System.Reflection;

namespace Gregor.Cli.Verify;

/// <summary>
/// Starts this same gregor program again with other arguments: the apphost directly, or
/// <c>dotnet gregor.dll</c> when the running process is the dotnet host.
/// </summary>
internal static class SelfLauncher
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which program is running, so members cannot be started.");
        var startInfo = new ProcessStartInfo(host)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            string entry = Assembly.GetEntryAssembly()?.Location
                ?? throw new InvalidOperationException("Cannot find gregor.dll, so members cannot be started.");
            startInfo.ArgumentList.Add(entry);
        }
        startInfo.ArgumentList.Add("verify");
        foreach (string argument in arguments) startInfo.ArgumentList.Add(argument);
        return startInfo;
    }
}
