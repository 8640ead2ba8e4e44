using Mnemo.Continual;
using Mnemo.Interop;
using Mnemo.Networks;
using Mnemo.Tests.Continual;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Tests.Interop;

/// <summary>A trained run's networks out as PyTorch and safetensors state dicts and back: the same names, shapes
/// and values, a generator rebuilt from the file draws Mnemo's images, and the reference batch matches it.</summary>
[Trait("Category", TestTraits.KernelSensitive)]
[Collection("training")]
public class RunExportTests
{
    [Fact]
    public void AMerganRunsGeneratorAndCriticRoundTripThroughBothFormats()
    {
        using var dir = new TempDir();
        using var data = SyntheticData.SquaresSplit(3, perClass: 40);
        var options = ToyRuns.Options("ra", iterations: 4, tasks: "0,1");
        var (_, run) = ToyRuns.Train(options, data, dir.File("run"), dir.Path);
        var checkpoint = new CheckpointStore(run.CheckpointsDir).LoadLatest(ContinualSystem.Kind, RunSettings.Fingerprint(options))!;
        using var models = new MerganModels(options, data.Train.ClassCount, data.Train.Channels);
        models.Load(checkpoint, 1);

        foreach (var file in new[] { "g.pt", "g.safetensors" })
        {
            var summary = RunExport.Export(run.Root, dir.File(file));
            Assert.Equal(new[] { "generator", "critic" }, summary.Networks);
            Assert.Equal(8, summary.Step);
            var state = StateDictFile.Read(dir.File(file));
            var expected = models.Generator.state_dict().Select(kv => ("generator." + kv.Key, kv.Value))
                .Concat(models.Critic.state_dict().Select(kv => ("critic." + kv.Key, kv.Value))).ToList();
            Assert.Equal(expected.Select(e => e.Item1).Order(), state.Keys.Order());
            Assert.Contains("generator.norms.0.scale.weight", state.Keys);
            Assert.Contains("generator.deconvs.2.weight", state.Keys);
            foreach (var (name, tensor) in expected)
                Assert.True(tensor.equal(state[name]).all().item<bool>(), name);

            // A fresh generator loaded from the exported names draws exactly Mnemo's images.
            using var fresh = new MerganGenerator(options.ZDim, data.Train.ClassCount, data.Train.Channels, options.Dim);
            StateDictFile.LoadInto(fresh, state.Where(kv => kv.Key.StartsWith("generator.")).ToDictionary(kv => kv.Key["generator.".Length..], kv => kv.Value),
                file, "the generator");
            using var _ = no_grad();
            using var z = randn(6, options.ZDim);
            using var labels = tensor(new long[] { 0, 1, 2, 0, 1, 2 });
            using var a = models.Generator.forward(z, labels);
            using var b = fresh.forward(z, labels);
            Assert.Equal(0.0, a.sub(b).abs().max().item<float>());
        }

        RunExport.WriteReferenceBatch(run.Root, dir.File("ref.safetensors"), 8, seed: 3);
        var reference = StateDictFile.Read(dir.File("ref.safetensors"));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)(i % models.Generator.Classes)).ToArray(), reference["labels"].data<long>().ToArray());
        using (no_grad())
        using (var again = models.Generator.forward(reference["z"], reference["labels"]))
            Assert.Equal(0.0, again.sub(reference["images"]).abs().max().item<float>());

        Assert.Contains("must end in .pt or .pth or .safetensors", Assert.Throws<MnemoException>(() => RunExport.Export(run.Root, dir.File("g.bin"))).Message);
        Assert.Contains("no checkpoint yet", Assert.Throws<MnemoException>(() =>
            RunExport.Export(RunFolder.Create(dir.File("empty"), options.ToJson()).Root, dir.File("e.pt"))).Message);
    }
}
