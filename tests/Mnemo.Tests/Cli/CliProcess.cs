using System.Diagnostics;

namespace Mnemo.Tests.Cli;

/// <summary>Runs the real `mnemo` CLI in a child process (plain progress lines, no debug traces).</summary>
public static class CliProcess
{
    static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Mnemo.Cli.dll");

    public static (int Code, string Stdout, string Stderr) Run(string workDir, params string[] args) => Run(workDir, null, args);

    /// <summary>Runs the CLI, under `ulimit -f BLOCKS` when <paramref name="fileSizeLimitBlocks"/> is given: a write
    /// past the limit then fails as on a full disk.</summary>
    public static (int Code, string Stdout, string Stderr) Run(string workDir, int? fileSizeLimitBlocks, IEnumerable<string> args)
    {
        var info = fileSizeLimitBlocks is { } blocks
            ? new ProcessStartInfo("bash") { ArgumentList = { "-c", $"ulimit -f {blocks}; exec dotnet \"$0\" \"$@\"", Cli } }
            : new ProcessStartInfo("dotnet") { ArgumentList = { Cli } };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.WorkingDirectory = workDir;
        info.Environment["CI"] = "1";
        if (fileSizeLimitBlocks is not null) info.Environment["DOTNET_EnableWriteXorExecute"] = "0"; // W^X maps code through files, which ulimit -f also limits
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
