using Mnemo.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mnemo.Bench;

/// <summary>
/// Floating-point operations of the benchmarked networks, counted from the layers that dominate them (convolutions,
/// transposed convolutions and linear layers: 2 FLOPs per multiply-add; normalisation and activations ignored).
/// Training passes follow the usual convention that a backward pass costs twice its forward pass.
/// </summary>
public static class ModelFlops
{
    /// <summary>Forward FLOPs per image of a MeRGAN generator: the z projection, then each 5×5 stride-2 transposed
    /// convolution, whose every input position is multiplied by the whole kernel.</summary>
    public static double MerganGeneratorForward(MerganGenerator g)
    {
        double macs = 0;
        long side = 4; // the projection's 4×4 map, doubled by every stage
        foreach (var (name, module) in g.named_modules())
        {
            if (module is Linear linear) macs += linear.weight!.numel();
            else if (module is ConvTranspose2d deconv) { macs += deconv.weight!.numel() * side * side; side *= 2; }
        }
        return 2 * macs;
    }

    /// <summary>Forward FLOPs per image of a MeRGAN critic: 5×5 stride-2 convolutions, each output position costing one
    /// kernel application, then both linear heads.</summary>
    public static double AcganCriticForward(AcganCritic d, int imageSize)
    {
        double macs = 0;
        long side = imageSize;
        foreach (var (name, module) in d.named_modules())
        {
            if (module is Conv2d conv) { side /= 2; macs += conv.weight!.numel() * side * side; }
            else if (module is Linear linear) macs += linear.weight!.numel();
        }
        return 2 * macs;
    }

    /// <summary>Forward FLOPs per sample of a network made of linear layers only (the 2-D MLPs).</summary>
    public static double LinearForward(nn.Module network) =>
        2.0 * network.named_modules().Select(m => m.module).OfType<Linear>().Sum(l => (double)l.weight!.numel());

    /// <summary>
    /// FLOPs of one MeRGAN iteration per image of the batch (method jt): the generator step (G forward + backward,
    /// critic forward + input-only backward) and each critic step (G forward; critic forward + backward on real and
    /// fake; gradient penalty: forward, input gradient, and the backward of that gradient, which runs through the
    /// backward convolutions only — weight and input gradients, 2 passes — because the leaky-ReLU masks it depends
    /// on have no derivative).
    /// </summary>
    public static double MerganIterationPerImage(double g, double d, int criticSteps) =>
        (3 * g + 2 * d) + criticSteps * (g + 6 * d + 4 * d);
}
