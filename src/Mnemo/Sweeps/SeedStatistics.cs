namespace Mnemo.Sweeps;

/// <summary>Mean and sample standard deviation (n − 1, as papers report over seeds) of one metric over the seeds of
/// a table cell; the standard deviation is null for fewer than two values, the mean for none.</summary>
public sealed record SeedStatistics(double? Mean, double? Std, int Count)
{
    public static SeedStatistics Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return new(null, null, 0);
        double mean = v.Average();
        double? std = v.Length < 2 ? null : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new(mean, std, v.Length);
    }
}
