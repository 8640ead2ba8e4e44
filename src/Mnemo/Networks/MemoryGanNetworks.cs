using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

/// <summary>
/// MemoryGAN's query network μ(x) for 32×32 images (official memory_d for Fashion-MNIST, with 32×32 input instead of
/// 28×28): conv 4×4/2 64 + lrelu, conv 4×4/2 128 + BN + lrelu, conv 4×4/2 256 + BN + lrelu, conv 4×4/4 to the key
/// size + BN, giving one key-sized query per image (normalised by the memory).
/// </summary>
public sealed class MemoryQueryNetwork : Module<Tensor, Tensor>
{
    readonly Sequential body;

    public MemoryQueryNetwork(int channels, int keyDim, int width = 64) : base("MemoryQueryNetwork")
    {
        body = Sequential(
            ("c1", Conv2d(channels, width, 4, 2, 1)), ("a1", LeakyReLU(0.2)),
            ("c2", Conv2d(width, 2 * width, 4, 2, 1)), ("bn2", BatchNorm2d(2 * width)), ("a2", LeakyReLU(0.2)),
            ("c3", Conv2d(2 * width, 4 * width, 4, 2, 1)), ("bn3", BatchNorm2d(4 * width)), ("a3", LeakyReLU(0.2)),
            ("c4", Conv2d(4 * width, keyDim, 4, 4, 0)), ("bn4", BatchNorm2d(keyDim)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return body.forward(x).flatten(1).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// MemoryGAN's memory-conditional generator for 32×32 images (official base_g, with an 8×8 start instead of 7×7 and
/// tanh instead of sigmoid to match Mnemo's [-1, 1] images): [z, key] → fc 1024 + BN + lrelu → fc 128·8·8 + BN +
/// ReLU → ConvT 4×4/2 128 + BN + ReLU → ConvT 4×4/2 to the image channels → tanh.
/// </summary>
public sealed class MemoryGenerator : Module<Tensor, Tensor, Tensor>
{
    readonly Sequential fc;
    readonly Sequential up;

    public int ZDim { get; }

    public MemoryGenerator(int zDim, int keyDim, int channels) : base("MemoryGenerator")
    {
        ZDim = zDim;
        fc = Sequential(
            ("fc1", Linear(zDim + keyDim, 1024)), ("bn1", BatchNorm1d(1024)), ("a1", LeakyReLU(0.2)),
            ("fc2", Linear(1024, 128 * 8 * 8)), ("bn2", BatchNorm1d(128 * 8 * 8)), ("a2", ReLU()));
        up = Sequential(
            ("up1", ConvTranspose2d(128, 128, 4, 2, 1)), ("bn3", BatchNorm2d(128)), ("a3", ReLU()),
            ("up2", ConvTranspose2d(128, channels, 4, 2, 1)), ("tanh", Tanh()));
        RegisterComponents();
    }

    public override Tensor forward(Tensor z, Tensor key)
    {
        using var scope = NewDisposeScope();
        return up.forward(fc.forward(cat(new[] { z, key }, 1)).view(-1, 128, 8, 8)).MoveToOuterDisposeScope();
    }
}
