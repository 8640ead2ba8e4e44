using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Mnemo.Bench;

/// <summary>Runs bench/pytorch/mergan_iteration.py (the same MeRGAN iteration in PyTorch) when a Python with torch
/// is found: $MNEMO_BENCH_PYTHON, else /usr/bin/python3 (Debian's python3-torch), else python3 on the PATH.</summary>
public static class PyTorchReference
{
    static readonly Lazy<string?> Python = new(FindPython);

    public static string? Version { get; private set; }

    /// <summary>Median seconds per iteration, or null (with the reason printed) when PyTorch cannot be run.</summary>
    /// <param name="device">torch's name of the device ("cpu", "cuda:0").</param>
    public static double? SecondsPerIteration(int threads, int critic, int warmup, int repeats, string device = "cpu")
    {
        if (Python.Value is not { } python) return null;
        var script = FindScript();
        if (script is null) { Console.WriteLine("PyTorch reference: bench/pytorch/mergan_iteration.py not found (run from the repository)"); return null; }
        var (code, output) = Run(python, $"\"{script}\" --threads {threads} --critic {critic} --warmup {warmup} --repeats {repeats} --device {device}", 600_000);
        if (code != 0) { Console.WriteLine($"PyTorch reference failed (exit {code}): {output.Trim()}"); return null; }
        var json = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
        Version = (string?)json["torch"];
        return (double)json["seconds_per_iteration"]!;
    }

    static string? FindPython()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("MNEMO_BENCH_PYTHON"), "/usr/bin/python3", "python3" };
        foreach (var c in candidates)
        {
            if (string.IsNullOrEmpty(c)) continue;
            try
            {
                if (Run(c, "-c \"import torch\"", 60_000).Code == 0) return c;
            }
            catch (System.ComponentModel.Win32Exception) { }
        }
        Console.WriteLine("PyTorch reference skipped: no python3 with torch (Debian: apt-get install python3-torch libopenblas0-pthread, or set MNEMO_BENCH_PYTHON)");
        return null;
    }

    static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "bench", "pytorch", "mergan_iteration.py");
            if (File.Exists(path)) return path;
        }
        return null;
    }

    static (int Code, string Output) Run(string file, string arguments, int timeoutMs)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs)) { p.Kill(true); return (-1, "timed out"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
