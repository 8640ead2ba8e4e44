using System.Diagnostics;

namespace Mnemo.Bench;

public static class Timing
{
    /// <summary>Median wall time in seconds of <paramref name="repeats"/> calls after <paramref name="warmup"/> untimed ones.</summary>
    public static double Median(Action action, int warmup, int repeats)
    {
        for (int i = 0; i < warmup; i++) action();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Wall and CPU seconds of one call of <paramref name="action"/>. With one torch thread the CPU seconds are
    /// what the call costs however loaded the machine is (the wall time is not).</summary>
    public static (double Wall, double Cpu) Once(Action action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action();
        return (sw.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
    }

    /// <summary>Median CPU seconds of <paramref name="repeats"/> calls after <paramref name="warmup"/> untimed ones.</summary>
    public static double MedianCpu(Action action, int warmup, int repeats)
    {
        for (int i = 0; i < warmup; i++) action();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++) times.Add(Once(action).Cpu);
        times.Sort();
        return times[times.Count / 2];
    }

    public static double PeakRssMiB() => StatusMiB("VmHWM:");

    public static double CurrentRssMiB() => StatusMiB("VmRSS:");

    /// <summary>A memory figure of /proc/self/status in MiB (NaN where there is no /proc).</summary>
    static double StatusMiB(string field)
    {
        foreach (var line in File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status") : Array.Empty<string>())
            if (line.StartsWith(field, StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return double.NaN;
    }
}
