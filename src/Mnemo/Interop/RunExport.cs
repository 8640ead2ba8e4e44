using Mnemo.Continual;
using Mnemo.Networks;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Interop;

/// <summary>What <see cref="RunExport.Export"/> wrote.</summary>
/// <param name="Kind">The run's system (checkpoint kind, e.g. "mergan-continual").</param>
/// <param name="Step">The checkpoint's step (the run's iteration).</param>
/// <param name="Networks">The exported name prefixes, e.g. ["generator", "critic"].</param>
/// <param name="Tensors">Number of tensors written.</param>
public sealed record ExportSummary(string Kind, long Step, IReadOnlyList<string> Networks, int Tensors);

/// <summary>
/// Writes the trained networks of a run's newest checkpoint as one PyTorch or safetensors state dict, each network's
/// parameter names under its own prefix ("generator.", "critic." or "discriminator.", MemoryGAN's "query." and
/// "memory."), named as the PyTorch modules in docs/export.md expect. Training-only state (optimisers, replay copies,
/// EWC, DGR's solver, the clusterer) is left out.
/// </summary>
public static class RunExport
{
    // Checkpoint module sections that are trained networks, in the order written.
    static readonly string[] Networks = ["generator", "critic", "discriminator", "query", "head"];
    // MemoryGAN's memory: the generator is conditioned on its keys, sampled in proportion to histogram · values.
    static readonly string[] MemoryTensors = ["keys", "values", "histogram"];

    /// <param name="output">A path ending in .pt or .pth (PyTorch zip, torch.load) or .safetensors.</param>
    /// <exception cref="MnemoException">Not a run folder, no checkpoint yet, or another output extension.</exception>
    public static ExportSummary Export(string runDir, string output)
    {
        RequireExtension(output, ".pt", ".pth", ".safetensors");
        var (checkpoint, path) = Newest(runDir);
        var state = new Dictionary<string, Tensor>();
        var written = new List<string>();
        try
        {
            foreach (var network in Networks.Where(n => checkpoint.Has($"module:{n}")))
            {
                foreach (var (name, tensor) in TorchSharpStateDict.Read(checkpoint.Sections[Section(checkpoint, network)], $"{path} ({network})"))
                    state[$"{network}.{name}"] = tensor;
                written.Add(network);
            }
            if (MemoryTensors.All(t => checkpoint.Has($"tensor:{t}")))
            {
                foreach (var t in MemoryTensors) state[$"memory.{t}"] = checkpoint.LoadTensor(t);
                written.Add("memory");
            }
            StateDictFile.Write(output, state);
            return new ExportSummary(checkpoint.Kind, checkpoint.Step, written, state.Count);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    /// <summary>A batch to check a PyTorch port of a MeRGAN generator against: z (n × z_dim, standard normal from
    /// <paramref name="seed"/>), labels (0, 1, …, cycling over the classes) and Mnemo's images for them (n × C × H × W
    /// in [-1, 1], batch-norm statistics of this one batch, as the generator always uses), written as safetensors.</summary>
    /// <exception cref="MnemoException">Not a MeRGAN run, or no checkpoint yet.</exception>
    public static void WriteReferenceBatch(string runDir, string output, int n, int seed)
    {
        RequireExtension(output, ".safetensors");
        if (n < 2) throw new MnemoException("the reference batch needs at least 2 images (batch-norm statistics of one image are degenerate)");
        var (checkpoint, _) = Newest(runDir);
        if (checkpoint.Kind != ContinualSystem.Kind)
            throw new MnemoException($"a reference batch is written for MeRGAN runs (G(z, class)); {runDir} is a '{checkpoint.Kind}' run.");
        var options = ContinualExperiment.ReadOptions(runDir);
        using var generator = LoadGenerator(checkpoint, options);
        using var scope = NewDisposeScope();
        using var noise = new Generator((ulong)seed);
        var z = randn(n, options.ZDim, generator: noise);
        var labels = arange(n, dtype: ScalarType.Int64).remainder(generator.Classes);
        Tensor images;
        using (no_grad()) images = generator.forward(z, labels);
        StateDictFile.Write(output, new Dictionary<string, Tensor> { ["z"] = z, ["labels"] = labels, ["images"] = images });
    }

    /// <summary>The run's MeRGAN generator with the checkpoint's weights (classes and channels read off the weights).</summary>
    static ConditionalGenerator LoadGenerator(Checkpoint checkpoint, MerganOptions options)
    {
        var state = TorchSharpStateDict.Read(checkpoint.Sections[Section(checkpoint, "generator")], "generator");
        try
        {
            int classes = (int)state.First(kv => kv.Key.EndsWith("scale.weight", StringComparison.Ordinal)).Value.shape[0];
            foreach (int channels in new[] { 1, 3 })
            {
                var generator = ConditionalGenerator.ForImageSize(options.ZDim, classes, channels, options.ImageSize, options.Dim);
                if (generator.state_dict().All(kv => state.TryGetValue(kv.Key, out var t) && t.shape.SequenceEqual(kv.Value.shape)))
                {
                    StateDictFile.LoadInto(generator, state, "the checkpoint", "this run's generator");
                    generator.eval();
                    return generator;
                }
                generator.Dispose();
            }
            throw new MnemoException("the checkpoint's generator does not match the run's settings.");
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    /// <summary>The checkpoint section of a network. A MeRGAN run that keeps a moving average of its generator's weights
    /// (--generator-ema) evaluates and samples the average, so the average is the generator it exports.</summary>
    static string Section(Checkpoint checkpoint, string network) =>
        network == "generator" && checkpoint.Has("module:averaged_generator") ? "module:averaged_generator" : $"module:{network}";

    static (Checkpoint, string) Newest(string runDir)
    {
        var (run, _) = RunFolder.Open(runDir);
        return new CheckpointStore(run.CheckpointsDir).LoadNewest() ?? throw new MnemoException($"{runDir} has no checkpoint yet; train first.");
    }

    static void RequireExtension(string path, params string[] extensions)
    {
        if (!extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            throw new MnemoException($"{path}: the file name must end in {string.Join(" or ", extensions)} (it chooses the format).");
    }
}
