using Mnemo.Cli;

namespace Mnemo.Tests.Robustness;

/// <summary>Issue 18 D: file-system exceptions that no Mnemo code wrapped still read "could not write PATH: REASON"
/// (or read) in the CLI's one error line.</summary>
public class FileFailureTests
{
    [Fact]
    public void UnwrappedReadAndWriteFailuresNameThePathAndDirection()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("plain"), "x");
        var below = Path.Combine(dir.File("plain"), "metrics.jsonl");
        var write = Assert.ThrowsAny<IOException>(() => File.AppendAllText(below, "{}\n"));
        Assert.Matches($"^could not write {System.Text.RegularExpressions.Regex.Escape(below)}: [A-Z].*[a-z.]$", FileFailure.Describe(write));
        var read = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes(below));
        Assert.StartsWith($"could not read {below}: ", FileFailure.Describe(read));
    }
}
