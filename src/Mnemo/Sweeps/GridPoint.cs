using System.Text;

namespace Mnemo.Sweeps;

/// <summary>One axis's value at a grid point.</summary>
public sealed record AxisValue(string Axis, GridValue Value);

/// <summary>One run of a grid: its index (the Slurm array index), its folder name and its axis values.</summary>
public sealed record GridPoint(int Index, string Name, IReadOnlyList<AxisValue> Coordinates)
{
    /// <summary>The folder name of a point with these axis values: "method=ra,seed=1" in axis order; characters a
    /// file name should not hold become '_' ("0+1,2+3" → "0+1_2+3"). A grid without axes has one point, "run".</summary>
    public static string NameOf(IReadOnlyList<AxisValue> coordinates) =>
        coordinates.Count == 0 ? "run" : string.Join(",", coordinates.Select(c => $"{c.Axis}={Safe(c.Value.Text)}"));

    static string Safe(string text)
    {
        var s = new StringBuilder(text.Length);
        foreach (var ch in text) s.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '+' or '_' ? ch : '_');
        // "." and ".." would be folders of their own; an empty value would leave "axis=".
        return s.Length == 0 || s.ToString().Trim('.').Length == 0 ? "_" + s : s.ToString();
    }

    /// <summary>The value of <paramref name="axis"/> at this point, or null when the grid has no such axis.</summary>
    public GridValue? this[string axis] => Coordinates.FirstOrDefault(c => c.Axis == axis)?.Value;
}
