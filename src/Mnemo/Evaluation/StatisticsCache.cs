using MathNet.Numerics.LinearAlgebra;

namespace Mnemo.Evaluation;

/// <summary>Caches the Gaussian statistics of a real dataset's features (DATA_ROOT/stats), so FID against a named
/// dataset extracts its features once.</summary>
public static class StatisticsCache
{
    public static GaussianStatistics GetOrCompute(string dataRoot, string key, Func<GaussianStatistics> compute)
    {
        var path = Path.Combine(dataRoot, "stats", string.Concat(key.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_')) + ".stats");
        if (File.Exists(path))
        {
            try { return Read(path); }
            catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException) { }
        }
        var stats = compute();
        Training.AtomicFile.Write(path, s =>
        {
            using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write("MNEMOSTATS1");
            w.Write(stats.Count);
            w.Write(stats.Mean.Count);
            foreach (var v in stats.Mean) w.Write(v);
            foreach (var v in stats.Covariance.ToColumnMajorArray()) w.Write(v);
        });
        return stats;
    }

    static GaussianStatistics Read(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        if (r.ReadString() != "MNEMOSTATS1") throw new InvalidDataException("not a statistics file");
        int count = r.ReadInt32(), d = r.ReadInt32();
        var mean = Vector<double>.Build.Dense(d, _ => r.ReadDouble());
        var cov = new double[d * d];
        for (int i = 0; i < cov.Length; i++) cov[i] = r.ReadDouble();
        return new GaussianStatistics(mean, Matrix<double>.Build.Dense(d, d, cov), count);
    }
}
