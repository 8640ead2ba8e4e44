using System.Globalization;

namespace Mnemo.Visualization;

/// <summary>The one way reports, tables and CSV files write numbers: invariant culture, a fixed pattern, and a dash
/// (or the given text) for a value that is missing, NaN or infinite.</summary>
public static class NumberText
{
    public static string Format(double? value, string format = "0.####", string missing = "–") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : missing;
}
