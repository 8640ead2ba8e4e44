using Mnemo.Networks;
using Mnemo.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.SelfConditioned;

/// <summary>Generator, discriminator and their optimisers for one run. The number of classes is k for selfcond,
/// 1 for the unconditional baseline and the true class count for the supervised one.</summary>
public sealed class SelfCondModels : IDisposable
{
    public SelfCondOptions Options { get; }
    public int Classes { get; }
    public int Channels { get; }
    public EmbeddingConditionalGenerator Generator { get; }
    public ClusterConditionalDiscriminator Discriminator { get; }
    public optim.Optimizer GeneratorOptimizer { get; }
    public optim.Optimizer DiscriminatorOptimizer { get; }
    /// <summary>Where the networks live (the run's device).</summary>
    public Device Device { get; }

    /// <param name="device">The run's device (default: the CPU); the networks are created and moved there here.</param>
    public SelfCondModels(SelfCondOptions options, int trueClasses, int channels, Device? device = null)
    {
        Device = device ?? CPU;
        Options = options;
        Channels = channels;
        Classes = options.Method switch { SelfCondMethod.Selfcond => options.K, SelfCondMethod.Supervised => trueClasses, _ => 1 };
        Generator = options.IsTwoD
            ? new Mlp2DGenerator(Classes, options.ZDim, options.EmbedDim)
            : new DcganGenerator(Classes, channels, options.ZDim, options.EmbedDim);
        Generator.to(Device);
        Discriminator = NewDiscriminator();
        GeneratorOptimizer = optim.Adam(Generator.parameters(), options.LearningRate, options.Beta1, options.Beta2);
        DiscriminatorOptimizer = optim.Adam(Discriminator.parameters(), options.LearningRate, options.Beta1, options.Beta2);
    }

    /// <summary>A new discriminator of the run's architecture, on the run's device.</summary>
    public ClusterConditionalDiscriminator NewDiscriminator()
    {
        ClusterConditionalDiscriminator d = Options.IsTwoD ? new Mlp2DDiscriminator(Classes) : new DcganDiscriminator(Classes, Channels);
        d.to(Device);
        return d;
    }

    public void Save(Checkpoint checkpoint)
    {
        checkpoint.AddModule("generator", Generator);
        checkpoint.AddModule("discriminator", Discriminator);
        checkpoint.AddOptimizer("generator", GeneratorOptimizer);
        checkpoint.AddOptimizer("discriminator", DiscriminatorOptimizer);
    }

    public void Load(Checkpoint checkpoint)
    {
        checkpoint.LoadModule("generator", Generator);
        checkpoint.LoadModule("discriminator", Discriminator);
        checkpoint.LoadOptimizer("generator", GeneratorOptimizer);
        checkpoint.LoadOptimizer("discriminator", DiscriminatorOptimizer);
    }

    public void Dispose()
    {
        Generator.Dispose(); Discriminator.Dispose(); GeneratorOptimizer.Dispose(); DiscriminatorOptimizer.Dispose();
    }
}
