using System.Diagnostics;
using System.Globalization;
using Mnemo.Continual;
using Mnemo.Training;

namespace Mnemo.Bench;

/// <summary>
/// Two training processes side by side on the same cores, against one alone: MeRGAN quick-profile iterations per
/// second (batch 64, 2 critic steps, RA at task 5 of 10) in child processes of this bench, once with libgomp's own
/// waiting (threads spin up to GOMP_SPINCOUNT = 300,000 after each parallel region) and once with Mnemo's default
/// (OMP_WAIT_POLICY=PASSIVE, <see cref="OpenMpWaitPolicy"/>).
/// </summary>
public static class SideBySideBench
{
    public const string WorkerFlag = "--sidebyside-worker";

    static readonly (string Name, string Variable, string Value)[] Policies =
    {
        ("libgomp default (spin 300k)", "GOMP_SPINCOUNT", "300000"),
        ("Mnemo default (PASSIVE)", "OMP_WAIT_POLICY", "PASSIVE"),
    };

    public static void Run(BenchOptions bench)
    {
        Console.WriteLine();
        Console.WriteLine($"Side by side: MeRGAN-RA quick iteration (batch 64, 2 critic steps), {bench.Threads} torch threads per process, {bench.SideBySideSeconds} s timed per process");
        Console.WriteLine($"{"OpenMP waiting",-30} {"alone it/s",10} {"each of 2 it/s",15} {"2 together ÷ alone",19}");
        foreach (var policy in Policies)
        {
            double alone = Workers(1, policy, bench).Single();
            var pair = Workers(2, policy, bench);
            Console.WriteLine($"{policy.Name,-30} {alone,10:0.00} {string.Join(" / ", pair.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture))),15} {pair.Sum() / alone,19:0.00}");
        }
    }

    /// <summary>Starts <paramref name="count"/> workers at once and returns each one's iterations per second.</summary>
    static double[] Workers(int count, (string Name, string Variable, string Value) policy, BenchOptions bench)
    {
        var processes = Enumerable.Range(0, count).Select(_ =>
        {
            var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            // Under `dotnet Mnemo.Bench.dll` the host needs the assembly again; an app host does not.
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") info.ArgumentList.Add(typeof(SideBySideBench).Assembly.Location);
            foreach (var a in new[] { WorkerFlag, "--threads", bench.Threads.ToString(CultureInfo.InvariantCulture), "--seconds", bench.SideBySideSeconds.ToString(CultureInfo.InvariantCulture) })
                info.ArgumentList.Add(a);
            foreach (var v in OpenMpWaitPolicy.UserVariables) info.Environment.Remove(v);
            info.Environment[policy.Variable] = policy.Value;
            return Process.Start(info)!;
        }).ToList();
        var rates = processes.Select(p => p.StandardOutput.ReadToEndAsync()).ToArray();
        foreach (var p in processes) p.WaitForExit();
        return rates.Select(r => double.Parse(r.Result.Trim().Split('\n').Last(), CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>The child: warms up, then trains for the given seconds and prints its iterations per second.</summary>
    public static int Worker(int threads, double seconds)
    {
        TorchSharp.torch.set_num_threads(threads);
        using var data = BenchData.RandomDigits("bench");
        var options = MerganOptions.ForProfile("quick", "mnist") with { Method = ContinualMethod.Ra };
        using var models = new MerganModels(options, 10, 1);
        models.BeginTask(4);
        using var taskData = data.WhereClass(new[] { 4 });
        using var step = new MerganStep(models, taskData, new[] { 0, 1, 2, 3 }, 0.2);
        int iteration = 1;
        for (int i = 0; i < 3; i++) step.Run(iteration++).Dispose();
        var clock = Stopwatch.StartNew();
        int done = 0;
        while (clock.Elapsed.TotalSeconds < seconds) { step.Run(iteration++).Dispose(); done++; }
        Console.WriteLine((done / clock.Elapsed.TotalSeconds).ToString("0.000", CultureInfo.InvariantCulture));
        return 0;
    }
}
