using System.Diagnostics;

namespace Mnemo.Tests.Cli;

/// <summary>Runs the real `mnemo` CLI in a child process (plain progress lines, no debug traces).</summary>
public static class CliProcess
{
    static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Mnemo.Cli.dll");

    public static (int Code, string Stdout, string Stderr) Run(string workDir, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        info.ArgumentList.Add(Cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["CI"] = "1";
        info.Environment.Remove("MNEMO_DEBUG");
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }

    /// <summary>Every file under the folder with a hash of its bytes, to check that a refused command touched nothing.</summary>
    public static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
}
