using System.CommandLine;
using Mnemo.Continual;

namespace Mnemo.Cli.Commands;

/// <summary>`mnemo demo`: the README's main job — MeRGAN-RA against sequential fine-tuning on MNIST, quick profile.
/// It resumes its own folder, and refuses a folder that holds runs with other settings (e.g. a smoke test's).</summary>
public static class DemoCommand
{
    public static Command Build()
    {
        var output = new Option<string>("--out") { Description = "Folder for the demo's runs and comparison", DefaultValueFactory = _ => "runs/demo" };
        var profile = new Option<string>("--profile") { Description = "quick or paper", DefaultValueFactory = _ => "quick" };
        var iterations = new Option<int?>("--iterations-per-task") { Description = "Override the profile's iterations per task (e.g. 5 for a smoke test of the whole pipeline; use its own --out)" };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var root = CommonOptions.DataRoot();
        var device = CommonOptions.Device();
        var command = new Command("demo", "Fetch MNIST if needed and compare MeRGAN-RA with sequential fine-tuning on the 10 digit tasks")
            { output, profile, iterations, seed, threads, device, root };
        command.SetAction(r => MnemoCli.Guard(() =>
        {
            var options = MerganOptions.ForProfile(r.GetValue(profile)!, "mnist") with { Seed = r.GetValue(seed), Threads = r.GetValue(threads) };
            if (r.GetValue(iterations) is { } it) options = options with { IterationsPerTask = it };
            options.Validate();
            var outDir = r.GetValue(output)!;
            var dataRoot = CommonOptions.ResolveRoot(r.GetValue(root));
            Progress.Run(progress =>
            {
                var methods = new[] { ContinualMethod.Ra, ContinualMethod.Sft };
                var (report, results) = ContinualExperiment.Compare(options, methods, outDir, dataRoot, progress, resume: true, r.GetValue(device));
                ContinualCommands.PrintFinal(results, progress);
                progress.Message($"report: {Path.GetFullPath(report)}");
            });
            return 0;
        }));
        return command;
    }
}
