namespace Mnemo.Tests.Cli;

/// <summary>What the CLI says about its own command line: its name in usage text, and command lines that do not
/// parse.</summary>
public class UsageTests
{
    [Fact]
    public void HelpNamesTheCommandMnemo()
    {
        using var dir = new TempDir();
        var root = CliProcess.Run(dir.Path, "--help");
        Assert.Equal(0, root.Code);
        Assert.Contains("mnemo [command] [options]", root.Stdout);
        Assert.DoesNotContain("Mnemo.Cli", root.Stdout);
        var continual = CliProcess.Run(dir.Path, "continual", "compare", "--help");
        Assert.Equal(0, continual.Code);
        Assert.Contains("mnemo continual compare [options]", continual.Stdout);
    }

    [Theory]
    [InlineData("--bogus", "mnemo continual --help", "continual", "--bogus")]
    [InlineData("--out", "mnemo continual compare --help", "continual", "compare", "--methods", "ra")]
    [InlineData("'x'", "mnemo memorygan --help", "memorygan", "--iterations", "x")]
    [InlineData("frobnicate", "mnemo --help", "frobnicate")]
    public void AnUnparsableCommandLineGivesOneErrorLineAndExitCode2(string named, string hint, params string[] args)
    {
        using var dir = new TempDir();
        var r = CliProcess.Run(dir.Path, args);
        Assert.True(r.Code == 2, $"exit {r.Code}\nstdout: {r.Stdout}\nstderr: {r.Stderr}");
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(named, line);
        Assert.EndsWith($"(see '{hint}')", line);
        Assert.Equal("", r.Stdout); // no help text dumped after the error
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }
}
