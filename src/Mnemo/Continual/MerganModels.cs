using Mnemo.Losses;
using Mnemo.Networks;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>
/// The networks and optimiser state of one continual run: generator, critic, the frozen replay generator
/// (JTR/RA/DGR), the generator average, EWC's anchors and Fisher, and the method's <see cref="ILabelSource"/> (DGR's
/// solver with its frozen predecessor).
/// </summary>
public sealed class MerganModels : IDisposable
{
    public MerganOptions Options { get; }
    public ContinualMethod Method { get; }
    public int Classes { get; }
    public int Channels { get; }

    public ConditionalGenerator Generator { get; }
    public ConditionalCritic Critic { get; }
    public ConditionalGenerator? ReplayGenerator { get; private set; }
    /// <summary>Exponential moving average of the generator's weights (<see cref="MerganOptions.GeneratorEmaDecay"/>),
    /// or null when the run keeps none.</summary>
    public ConditionalGenerator? AveragedGenerator { get; }
    /// <summary>The generator that is evaluated, sampled and frozen for replay: the average when the run keeps one.</summary>
    public ConditionalGenerator SamplingGenerator => AveragedGenerator ?? Generator;
    public EwcPenalty? Ewc { get; }
    /// <summary>Where the run's class labels come from (chosen by method; DGR's solver lives there).</summary>
    public ILabelSource Labels { get; }

    /// <summary>Where every network, batch and noise draw of the run lives.</summary>
    public Device Device { get; }

    public optim.Optimizer GeneratorOptimizer { get; private set; }
    public optim.Optimizer CriticOptimizer { get; private set; }

    /// <param name="device">The run's device (default: the CPU); the networks are created and moved there here, the
    /// one place a MeRGAN run creates them.</param>
    public MerganModels(MerganOptions options, int classes, int channels, Device? device = null)
    {
        Device = device ?? CPU;
        Options = options;
        Method = options.Method;
        Classes = classes;
        Channels = channels;
        Labels = ILabelSource.For(options, classes, channels, Device);
        Generator = ConditionalGenerator.ForImageSize(options.ZDim, Labels.NetworkClasses, channels, options.ImageSize, options.Dim);
        Generator.to(Device);
        Critic = ConditionalCritic.ForImageSize(Labels.NetworkClasses, channels, options.ImageSize, options.Dim);
        Critic.to(Device);
        if (options.CriticPrecision == ComputePrecision.Bfloat16 && Critic is AcganCritic convolutional)
            convolutional.ConvolutionType = ScalarType.BFloat16;
        if (options.GeneratorEmaDecay is not null) AveragedGenerator = FrozenCopy(Generator, NewGenerator);
        if (Method == ContinualMethod.Ewc) Ewc = new EwcPenalty(options.EwcLambda);
        Labels.Build();
        (GeneratorOptimizer, CriticOptimizer) = NewOptimizers();
    }

    (optim.Optimizer, optim.Optimizer) NewOptimizers() =>
        (optim.Adam(Generator.parameters(), Options.LearningRate, Options.Beta1, Options.Beta2),
         optim.Adam(Critic.parameters(), Options.EffectiveCriticLearningRate, Options.Beta1, Options.Beta2));

    /// <summary>Starts a task: fresh Adam state (as the official code re-initialises it per task) and, from the
    /// second task on, a frozen copy of the generator (and solver) for replay.</summary>
    public void BeginTask(int task)
    {
        GeneratorOptimizer.Dispose(); CriticOptimizer.Dispose();
        (GeneratorOptimizer, CriticOptimizer) = NewOptimizers();
        if (task > 0 && Method.UsesReplayGenerator())
        {
            ReplayGenerator?.Dispose();
            ReplayGenerator = FrozenCopy(SamplingGenerator, NewGenerator);
        }
        Labels.BeginTask(task);
    }

    ConditionalGenerator NewGenerator()
    {
        var generator = ConditionalGenerator.ForImageSize(Options.ZDim, Generator.Classes, Channels, Options.ImageSize, Options.Dim);
        generator.to(Device);
        return generator;
    }

    /// <summary>Moves the weight average towards the generator after a generator step: a ← d·a + (1 − d)·θ
    /// (no-op without an average).</summary>
    public void UpdateGeneratorAverage()
    {
        if (AveragedGenerator is null) return;
        double decay = Options.GeneratorEmaDecay!.Value;
        using var _ = no_grad();
        foreach (var (average, current) in AveragedGenerator.parameters().Zip(Generator.parameters()))
            average.mul_(decay).add_(current, alpha: 1 - decay);
        foreach (var (average, current) in AveragedGenerator.buffers().Zip(Generator.buffers()))
            average.copy_(current);
    }

    /// <summary>A copy of <paramref name="source"/>'s weights in a new network, without gradients, in evaluation mode.</summary>
    internal static T FrozenCopy<T>(T source, Func<T> create) where T : nn.Module
    {
        var copy = create();
        copy.load_state_dict(source.state_dict());
        foreach (var p in copy.parameters()) p.requires_grad = false;
        copy.eval();
        return copy;
    }

    public void Save(Checkpoint checkpoint)
    {
        checkpoint.AddModule("generator", Generator);
        checkpoint.AddModule("critic", Critic);
        checkpoint.AddOptimizer("generator", GeneratorOptimizer);
        checkpoint.AddOptimizer("critic", CriticOptimizer);
        if (ReplayGenerator is not null) checkpoint.AddModule("replay_generator", ReplayGenerator);
        if (AveragedGenerator is not null) checkpoint.AddModule("averaged_generator", AveragedGenerator);
        Labels.Save(checkpoint);
        if (Ewc is not null)
        {
            checkpoint.Meta["ewc_terms"] = new System.Text.Json.Nodes.JsonArray(Ewc.Terms.Select(t => (System.Text.Json.Nodes.JsonNode)t.Name).ToArray());
            foreach (var (name, anchor, fisher) in Ewc.Terms)
            {
                checkpoint.AddTensor($"ewc_anchor:{name}", anchor);
                checkpoint.AddTensor($"ewc_fisher:{name}", fisher);
            }
        }
    }

    /// <summary>Restores everything saved by <see cref="Save"/>; <paramref name="task"/> is the task in progress.</summary>
    public void Load(Checkpoint checkpoint, int task)
    {
        BeginTask(task); // creates the replay copies with the right shapes; their weights come from the checkpoint
        checkpoint.LoadModule("generator", Generator);
        checkpoint.LoadModule("critic", Critic);
        checkpoint.LoadOptimizer("generator", GeneratorOptimizer);
        checkpoint.LoadOptimizer("critic", CriticOptimizer);
        if (ReplayGenerator is not null) checkpoint.LoadModule("replay_generator", ReplayGenerator);
        if (AveragedGenerator is not null) checkpoint.LoadModule("averaged_generator", AveragedGenerator);
        Labels.Load(checkpoint);
        if (Ewc is not null && checkpoint.Meta["ewc_terms"] is System.Text.Json.Nodes.JsonArray names)
            Ewc.Restore(names.Select(n => (string)n!).Select(n => (n, checkpoint.LoadTensor($"ewc_anchor:{n}", Device), checkpoint.LoadTensor($"ewc_fisher:{n}", Device))).ToList());
    }

    public void Dispose()
    {
        Generator.Dispose(); Critic.Dispose(); ReplayGenerator?.Dispose(); AveragedGenerator?.Dispose(); Ewc?.Dispose();
        Labels.Dispose();
        GeneratorOptimizer.Dispose(); CriticOptimizer.Dispose();
    }
}
