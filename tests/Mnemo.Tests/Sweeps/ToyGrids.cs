using System.Text.Json.Nodes;

namespace Mnemo.Tests.Sweeps;

/// <summary>Grids small enough for tests that run them for real.</summary>
public static class ToyGrids
{
    /// <summary>The 2-D ring: Self-Conditioned GAN against the unconditional GAN, two seeds; seconds per run.</summary>
    public static string Ring(string dir, int iterations = 20)
    {
        var path = Path.Combine(dir, "ring.json");
        File.WriteAllText(path, $$"""
            { "system": "selfcond",
              "options": { "dataset": "ring", "profile": "quick", "iterations": {{iterations}}, "recluster-every": 10,
                           "cluster-samples": 200, "k": 8, "eval-samples": 500, "checkpoint-every": 10 },
              "axes": { "method": ["selfcond", "unconditional"], "seed": [1, 2] } }
            """);
        return path;
    }

    /// <summary>The report's points by name: state and metrics (report.json).</summary>
    public static Dictionary<string, JsonNode> Points(string sweep) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(sweep, "report.json")))!["points"]!.AsArray().ToDictionary(p => (string)p!["name"]!, p => p!);

    /// <summary>report.csv's lines by (row, column, metric).</summary>
    public static Dictionary<(string Row, string Column, string Metric), string[]> Cells(string sweep) =>
        File.ReadAllLines(Path.Combine(sweep, "report.csv")).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => (f[0], f[1], f[2]), f => f);
}
