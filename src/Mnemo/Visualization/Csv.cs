namespace Mnemo.Visualization;

/// <summary>CSV cells as RFC 4180 writes them.</summary>
public static class Csv
{
    /// <summary>The text as one cell: quoted (inner quotes doubled) when it holds a comma, quote or line break.</summary>
    public static string Cell(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
}
