using MathNet.Numerics.LinearAlgebra;

namespace Mnemo.Evaluation;

/// <summary>What cached real statistics depend on: the feature network (by the content of its weights, not its file
/// name), the real images and the preprocessing protocol that brought them to the network.</summary>
public sealed record StatisticsKey(string Network, string WeightsSha256, string Source)
{
    /// <summary>Bumped whenever <see cref="ImagePreprocessing"/> or the statistics change, so that statistics of the
    /// old protocol are recomputed rather than reused. 2: one preprocessing path for every source (issue 18).</summary>
    public const int Protocol = 2;

    public string FileName
    {
        get
        {
            var readable = string.Concat($"{Network}-{Source}".Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
            return $"{readable}-{WeightsSha256[..16]}-p{Protocol}.stats";
        }
    }
}

/// <summary>Caches the Gaussian statistics of a real dataset's features (DATA_ROOT/stats), so FID against a named
/// dataset extracts its features once. The file holds its full key; a file whose key differs is recomputed.</summary>
public static class StatisticsCache
{
    const string Magic = "MNEMOSTATS2";

    public static GaussianStatistics GetOrCompute(string dataRoot, StatisticsKey key, Func<GaussianStatistics> compute)
    {
        var path = Path.Combine(dataRoot, "stats", key.FileName);
        if (File.Exists(path))
        {
            try
            {
                if (Read(path, key) is { } cached) return cached;
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException) { }
        }
        var stats = compute();
        Training.AtomicFile.Write(path, s =>
        {
            using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(key.Network); w.Write(key.WeightsSha256); w.Write(key.Source); w.Write(StatisticsKey.Protocol);
            w.Write(stats.Count);
            w.Write(stats.Mean.Count);
            foreach (var v in stats.Mean) w.Write(v);
            foreach (var v in stats.Covariance.ToColumnMajorArray()) w.Write(v);
        });
        return stats;
    }

    /// <summary>The cached statistics, or null when the file was written for another key.</summary>
    static GaussianStatistics? Read(string path, StatisticsKey key)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        if (r.ReadString() != Magic) throw new InvalidDataException("not a statistics file");
        var stored = new StatisticsKey(r.ReadString(), r.ReadString(), r.ReadString());
        if (stored != key || r.ReadInt32() != StatisticsKey.Protocol) return null;
        int count = r.ReadInt32(), d = r.ReadInt32();
        var mean = Vector<double>.Build.Dense(d, _ => r.ReadDouble());
        var cov = new double[d * d];
        for (int i = 0; i < cov.Length; i++) cov[i] = r.ReadDouble();
        return new GaussianStatistics(mean, Matrix<double>.Build.Dense(d, d, cov), count);
    }
}
