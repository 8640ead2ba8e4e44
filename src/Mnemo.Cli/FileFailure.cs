using System.Text.RegularExpressions;

namespace Mnemo.Cli;

/// <summary>Words for a file-system exception that no Mnemo code wrapped in a <see cref="FileAccessException"/>.</summary>
public static partial class FileFailure
{
    /// <summary>"could not write PATH: REASON" (or read), the path and direction taken from .NET's exception: its
    /// message quotes the path, and the I/O method that failed is the innermost System.IO frame of the stack.</summary>
    public static string Describe(Exception e)
    {
        var reason = FileAccessException.Reason(e);
        var quoted = QuotedPath().Match(e.Message);
        string path = quoted.Success ? quoted.Groups[1].Value : "a file";
        if (quoted.Success) reason = reason.Replace(quoted.Value, "").Replace(" : ", "").Trim().TrimEnd(':', ' ');
        return $"could not {(IsRead(e) ? "read" : "write")} {path}: {reason}";
    }

    static bool IsRead(Exception e)
    {
        var frame = (e.StackTrace ?? "").Split('\n').Select(l => l.Trim())
            .FirstOrDefault(l => l.StartsWith("at System.IO.File", StringComparison.Ordinal) || l.StartsWith("at System.IO.Directory", StringComparison.Ordinal));
        return frame is not null && (frame.Contains("Read", StringComparison.Ordinal) || frame.Contains("Open", StringComparison.Ordinal) && !frame.Contains("Write", StringComparison.Ordinal));
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedPath();
}
