using Mnemo.Training;

namespace Mnemo.Tests.Training;

/// <summary>Issue 18 D: file-system failures of an atomic write name the file and leave the old content.</summary>
public class AtomicFileTests
{
    [Fact]
    public void AFolderBelowARegularFileCannotBeWrittenAndSaysWhere()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("plain"), "x");
        var target = Path.Combine(dir.File("plain"), "sub", "out.json");
        var e = Assert.Throws<FileAccessException>(() => AtomicFile.WriteAllText(target, "{}"));
        Assert.StartsWith($"could not write {target}: ", e.Message);
    }

    [Fact]
    public void AWriteThatRunsOutOfSpaceKeepsTheOldFileAndRemovesTheTempFile()
    {
        using var dir = new TempDir();
        var target = dir.File("data.bin");
        File.WriteAllText(target, "old");
        var e = Assert.Throws<FileAccessException>(() => AtomicFile.Write(target, s =>
        {
            s.Write(new byte[100]);
            throw new IOException("No space left on device");
        }));
        Assert.Equal($"could not write {target}: No space left on device", e.Message);
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ASerialiserBugIsNotReportedAsAFileProblem()
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentOutOfRangeException>(() => AtomicFile.Write(dir.File("x"), _ => throw new ArgumentOutOfRangeException("index")));
    }
}
