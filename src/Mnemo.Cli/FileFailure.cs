using System.Text.RegularExpressions;

namespace Mnemo.Cli;

/// <summary>Words for a file-system exception that no Mnemo code wrapped in a <see cref="FileAccessException"/>.</summary>
public static partial class FileFailure
{
    /// <summary>"could not write PATH: REASON" (or read), the path and direction taken from .NET's exception: its
    /// message quotes the path, and its stack names the System.IO call that failed.</summary>
    public static string Describe(Exception e)
    {
        var quoted = QuotedPath().Match(e.Message);
        string path = quoted.Success ? quoted.Groups[1].Value : "a file";
        // "Access to the path '/x' is denied." → "Access to the path is denied."; "No space left on device : '/x'" → "No space left on device"
        var reason = quoted.Success ? QuotedPathWithSeparator().Replace(FileAccessException.Reason(e), "") : FileAccessException.Reason(e);
        return $"could not {(IsRead(e) ? "read" : "write")} {path}: {reason}";
    }

    /// <summary>Read when the outermost System.IO.File/Directory call (the one Mnemo made, e.g. ReadAllBytes,
    /// OpenRead, GetFiles) reads; write otherwise (AppendAllText, Create, CreateDirectory, Move, …).</summary>
    static bool IsRead(Exception e)
    {
        var frame = (e.StackTrace ?? "").Split('\n').Select(l => l.Trim())
            .LastOrDefault(l => l.StartsWith("at System.IO.File.", StringComparison.Ordinal) || l.StartsWith("at System.IO.Directory.", StringComparison.Ordinal));
        var method = frame?.Split('(')[0] ?? ""; // the name only: parameter types such as ReadOnlySpan say nothing
        return new[] { "Read", "Enumerate", "GetFiles", "GetDirectories" }.Any(w => method.Contains(w, StringComparison.Ordinal));
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedPath();

    [GeneratedRegex(@"\s*:?\s*'[^']+'")]
    private static partial Regex QuotedPathWithSeparator();
}
