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

    public SelfCondModels(SelfCondOptions options, int trueClasses, int channels)
    {
        Options = options;
        Channels = channels;
        Classes = options.Method switch { SelfCondMethod.Selfcond => options.K, SelfCondMethod.Supervised => trueClasses, _ => 1 };
        Generator = options.IsTwoD
            ? new Mlp2DGenerator(Classes, options.ZDim, options.EmbedDim)
            : new DcganGenerator(Classes, channels, options.ZDim, options.EmbedDim);
        Discriminator = NewDiscriminator();
        GeneratorOptimizer = optim.Adam(Generator.parameters(), options.LearningRate, options.Beta1, options.Beta2);
        DiscriminatorOptimizer = optim.Adam(Discriminator.parameters(), options.LearningRate, options.Beta1, options.Beta2);
    }

    public ClusterConditionalDiscriminator NewDiscriminator() =>
        Options.IsTwoD ? new Mlp2DDiscriminator(Classes) : new DcganDiscriminator(Classes, Channels);

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
