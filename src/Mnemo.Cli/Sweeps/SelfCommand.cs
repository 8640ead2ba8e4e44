using System.Reflection;

namespace Mnemo.Cli.Sweeps;

/// <summary>How to start this `mnemo` CLI again, in a child process or on a Slurm node.</summary>
public static class SelfCommand
{
    /// <summary>[dotnet, /abs/Mnemo.Cli.dll] when run through the dotnet host, else [/abs/apphost].</summary>
    public static IReadOnlyList<string> Words()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var dll = typeof(SelfCommand).Assembly.Location;
        bool viaHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return viaHost || dll.Length == 0 ? [process, Path.GetFullPath(dll.Length > 0 ? dll : Assembly.GetEntryAssembly()!.Location)] : [process];
    }
}
