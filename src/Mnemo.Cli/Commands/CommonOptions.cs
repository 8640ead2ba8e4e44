using System.CommandLine;
using Mnemo.Data;

namespace Mnemo.Cli.Commands;

/// <summary>Options several commands share.</summary>
public static class CommonOptions
{
    public static Option<string?> DataRoot() => new("--root")
    {
        Description = $"Data folder (default: ${Data.DataRoot.EnvironmentVariable} or ~/.mnemo/data)",
    };

    public static Option<int> Seed() => new("--seed") { Description = "Random seed (same seed, same machine: same run)", DefaultValueFactory = _ => 0 };

    public static Option<int?> Threads() => new("--threads") { Description = "CPU threads for libtorch (default: all cores)" };

    /// <summary>--device: where models, batches and tensors live (checked when the command runs).</summary>
    public static Option<string?> Device(string defaultText = "auto: CUDA when it can be loaded, else the CPU") => new("--device")
    {
        Description = $"{Training.ComputeDevice.Choices} (default {defaultText})",
    };

    public static string ResolveRoot(string? root) => Data.DataRoot.Resolve(root);

    /// <summary>Parses "0-9", "0,2,5" or "3" into class numbers.</summary>
    public static int[] ParseClassList(string spec)
    {
        var result = new List<int>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-');
            if (ends.Length == 2 && int.TryParse(ends[0], out int a) && int.TryParse(ends[1], out int b) && a <= b)
                result.AddRange(Enumerable.Range(a, b - a + 1));
            else if (int.TryParse(part, out int c)) result.Add(c);
            else throw new MnemoException($"'{spec}' is not a class list (use e.g. 0-9 or 0,3,5)");
        }
        if (result.Count == 0) throw new MnemoException("the class list is empty");
        return result.ToArray();
    }
}
