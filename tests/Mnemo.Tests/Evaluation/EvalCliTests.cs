using System.Diagnostics;
using System.Text.Json.Nodes;
using Mnemo.Evaluation;
using Mnemo.Networks;
using Mnemo.Training;

namespace Mnemo.Tests.Evaluation;

/// <summary>A data root with a small MNIST (synthetic digits) and a cached, randomly initialised evaluation
/// classifier, so that `eval … --features classifier:mnist` runs through the real CLI in seconds.</summary>
public sealed class EvalFixture : IDisposable
{
    public TempDir Dir { get; } = new();
    public string DataRoot => Dir.File("data");
    public byte[] TestDigits { get; } = TestImages.Digits(200, seed: 11);

    public EvalFixture()
    {
        TestImages.WriteMnist(DataRoot, TestDigits, TestImages.Digits(20, seed: 12));
        TorchSharp.torch.random.manual_seed(3);
        using var model = new DigitClassifier(10, 1, 32);
        var checkpoint = new Checkpoint("classifier", EvaluationClassifier.TrainSteps, "mnist");
        checkpoint.Meta["test_accuracy"] = 0.1;
        checkpoint.AddModule("classifier", model);
        checkpoint.Save(EvaluationClassifier.CacheFile(DataRoot, "mnist", 32));
    }

    public void Dispose() => Dir.Dispose();
}

/// <summary>Issue 18 C and D through the real CLI: every setting a metric adapts is refused with the option's name or
/// reported, each side's image count is printed and written, and file-system failures are one `error:` line.</summary>
[Collection(GlobalTorchRng.Name)]
public class EvalCliTests(EvalFixture fixture) : IClassFixture<EvalFixture>
{
    /// <summary>Runs the CLI in the fixture's folder, optionally under `ulimit -f BLOCKS`: a write past the limit
    /// raises SIGXFSZ, which the CLI handles so that the write fails with EFBIG, as a write to a full disk fails
    /// with ENOSPC.</summary>
    (int Code, string Stdout, string Stderr) Run(int? fileSizeLimitBlocks, params string[] args) =>
        Mnemo.Tests.Cli.CliProcess.Run(fixture.Dir.Path, fileSizeLimitBlocks, args.Append("--root").Append(fixture.DataRoot));

    static string OneError((int Code, string Stdout, string Stderr) r)
    {
        Assert.True(r.Code == 1, $"exit {r.Code}\nstdout: {r.Stdout}\nstderr: {r.Stderr}");
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, $"expected one error line, got: {r.Stderr}");
        Assert.DoesNotContain("   at ", r.Stderr);
        return lines[0];
    }

    string Npz(string name, byte[] digits)
    {
        var path = fixture.Dir.File(name);
        if (!File.Exists(path)) TestImages.WriteNpz(path, digits, 28, 1);
        return path;
    }

    [Fact]
    public void TheTestSplitAsA28x28NpzHasFidZeroAndBothCountsAreReported()
    {
        var npz = Npz("test28.npz", fixture.TestDigits);
        var r = Run(null, "eval", "fid", "--real", "mnist", "--fake", npz, "--out", "fid.json");
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains("FID 0.0000", r.Stdout);
        Assert.Contains("real 200 images, fake 200 images", r.Stdout);
        var json = JsonNode.Parse(File.ReadAllText(fixture.Dir.File("fid.json")))!;
        Assert.Equal(200, (long)json["real_count"]!);
        Assert.Equal(200, (long)json["fake_count"]!);
        Assert.True((double)json["value"]! >= 0 && (double)json["value"]! < 1e-3, $"FID {json["value"]}");
        Assert.Empty(json["warnings"]!.AsArray());
    }

    [Fact]
    public void KidRefusesASubsetLargerThanTheSetNamingTheOption()
    {
        var small = Npz("small60.npz", fixture.TestDigits[..(60 * 784)]);
        Assert.Contains("--kid-subset-size", OneError(Run(null, "eval", "kid", "--real", small, "--fake", small)));
        var r = Run(null, "eval", "kid", "--real", "mnist", "--fake", small, "--kid-subset-size", "50", "--kid-subsets", "7", "--out", "kid.json");
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains("7 subsets of 50", r.Stdout);
        var json = JsonNode.Parse(File.ReadAllText(fixture.Dir.File("kid.json")))!;
        Assert.Equal(50, (int)json["kid_subset_size"]!);
        Assert.Equal(7, (int)json["kid_subsets"]!);
        Assert.True((double)json["std"]! > 0); // distinct subsets: a real spread
    }

    [Theory]
    [InlineData("--splits must be at least 1", "is", "--splits", "0")]
    [InlineData("--splits 100 needs at least 100 images", "is", "--splits", "100")]
    [InlineData("--kid-subset-size must be at least 2", "kid", "--real", "mnist", "--kid-subset-size", "1")]
    [InlineData("--kid-subsets must be at least 1", "kid", "--real", "mnist", "--kid-subsets", "0")]
    public void BadMetricSettingsGiveOneErrorNamingTheOption(string expected, params string[] args)
    {
        var small = Npz("small60.npz", fixture.TestDigits[..(60 * 784)]);
        Assert.Contains(expected, OneError(Run(null, new[] { "eval" }.Concat(args).Append("--fake").Append(small).ToArray())));
    }

    [Fact]
    public void FidWarnsWhenASideHasFewerImagesThanFeatureDimensions()
    {
        var small = Npz("small60.npz", fixture.TestDigits[..(60 * 784)]);
        var r = Run(null, "eval", "fid", "--real", "mnist", "--fake", small, "--out", "fid60.json");
        Assert.True(r.Code == 0, r.Stderr);
        Assert.Contains("warning: the fake side has 60 images, fewer than the 128 feature dimensions", r.Stderr);
        Assert.Single(JsonNode.Parse(File.ReadAllText(fixture.Dir.File("fid60.json")))!["warnings"]!.AsArray());
    }

    [Fact]
    public void AnUnwritableOutputFolderIsOneErrorNamingThePath()
    {
        var npz = Npz("test28.npz", fixture.TestDigits);
        // A path below a regular file cannot be created, even by root (who ignores permission bits).
        File.WriteAllText(fixture.Dir.File("plain-file"), "x");
        var target = Path.Combine(fixture.Dir.File("plain-file"), "sub", "is.json");
        var error = OneError(Run(null, "eval", "is", "--fake", npz, "--out", target));
        Assert.StartsWith($"error: could not write {target}: ", error);
    }

    [Fact]
    public void AFullDiskIsOneErrorNamingThePath()
    {
        var npz = Npz("test28.npz", fixture.TestDigits);
        // ulimit -f 0: no file may grow, as on a full disk. The kernel sends SIGXFSZ (which used to kill the process
        // unless its parent ignored the signal) and answers EFBIG, which .NET turns into an
        // ArgumentOutOfRangeException (which used to escape as an internal error, exit 70).
        var error = OneError(Run(0, "eval", "is", "--fake", npz, "--out", "full.json"));
        Assert.StartsWith("error: could not write full.json: ", error);
        Assert.False(File.Exists(fixture.Dir.File("full.json")));
        Assert.Empty(Directory.GetFiles(fixture.Dir.Path, ".full.json*")); // the temp file was removed
    }
}
