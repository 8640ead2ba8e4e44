using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Mnemo.Networks;

// The InceptionV3 that FID and IS are defined with: pytorch-fid's FIDInceptionV3 (the TF 2015-12-05 graph
// ported to PyTorch), 2048-d pool features and 1008 logits. Module and parameter names follow pytorch-fid, so its
// pt_inception-2015-12-05-6726825d.pth state dict loads strictly (InceptionFeatures.Load, via TorchSharp.PyBridge).
// Field names mirror those parameter names; hence the underscores.
#pragma warning disable IDE1006

/// <summary>conv (no bias) → batch norm (eps 0.001) → ReLU.</summary>
public sealed class BasicConv2d : Module<Tensor, Tensor>
{
    readonly Conv2d conv;
    readonly BatchNorm2d bn;

    public BasicConv2d(long input, long output, (long, long) kernel, (long, long)? stride = null, (long, long)? padding = null) : base("BasicConv2d")
    {
        conv = Conv2d(input, output, kernel, stride ?? (1, 1), padding ?? (0, 0), bias: false);
        bn = BatchNorm2d(output, eps: 0.001);
        RegisterComponents();
    }

    public BasicConv2d(long input, long output, long kernel, long stride = 1, long padding = 0)
        : this(input, output, (kernel, kernel), (stride, stride), (padding, padding)) { }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return functional.relu(bn.forward(conv.forward(x))).MoveToOuterDisposeScope();
    }
}

static class Pool
{
    // pytorch-fid's FID blocks average without counting the padding.
    public static Tensor Average3x3(Tensor x) => functional.avg_pool2d(x, 3, stride: 1, padding: 1, count_include_pad: false);
}

public sealed class InceptionA : Module<Tensor, Tensor>
{
    readonly BasicConv2d branch1x1, branch5x5_1, branch5x5_2, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3, branch_pool;

    public InceptionA(long input, long poolFeatures) : base("InceptionA")
    {
        branch1x1 = new BasicConv2d(input, 64, 1);
        branch5x5_1 = new BasicConv2d(input, 48, 1);
        branch5x5_2 = new BasicConv2d(48, 64, 5, padding: 2);
        branch3x3dbl_1 = new BasicConv2d(input, 64, 1);
        branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new BasicConv2d(96, 96, 3, padding: 1);
        branch_pool = new BasicConv2d(input, poolFeatures, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return cat(new[]
        {
            branch1x1.forward(x),
            branch5x5_2.forward(branch5x5_1.forward(x)),
            branch3x3dbl_3.forward(branch3x3dbl_2.forward(branch3x3dbl_1.forward(x))),
            branch_pool.forward(Pool.Average3x3(x)),
        }, 1).MoveToOuterDisposeScope();
    }
}

public sealed class InceptionB : Module<Tensor, Tensor>
{
    readonly BasicConv2d branch3x3, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3;

    public InceptionB(long input) : base("InceptionB")
    {
        branch3x3 = new BasicConv2d(input, 384, 3, stride: 2);
        branch3x3dbl_1 = new BasicConv2d(input, 64, 1);
        branch3x3dbl_2 = new BasicConv2d(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new BasicConv2d(96, 96, 3, stride: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return cat(new[]
        {
            branch3x3.forward(x),
            branch3x3dbl_3.forward(branch3x3dbl_2.forward(branch3x3dbl_1.forward(x))),
            functional.max_pool2d(x, 3, 2),
        }, 1).MoveToOuterDisposeScope();
    }
}

public sealed class InceptionC : Module<Tensor, Tensor>
{
    readonly BasicConv2d branch1x1, branch7x7_1, branch7x7_2, branch7x7_3,
        branch7x7dbl_1, branch7x7dbl_2, branch7x7dbl_3, branch7x7dbl_4, branch7x7dbl_5, branch_pool;

    public InceptionC(long input, long c7) : base("InceptionC")
    {
        branch1x1 = new BasicConv2d(input, 192, 1);
        branch7x7_1 = new BasicConv2d(input, c7, 1);
        branch7x7_2 = new BasicConv2d(c7, c7, (1, 7), padding: (0, 3));
        branch7x7_3 = new BasicConv2d(c7, 192, (7, 1), padding: (3, 0));
        branch7x7dbl_1 = new BasicConv2d(input, c7, 1);
        branch7x7dbl_2 = new BasicConv2d(c7, c7, (7, 1), padding: (3, 0));
        branch7x7dbl_3 = new BasicConv2d(c7, c7, (1, 7), padding: (0, 3));
        branch7x7dbl_4 = new BasicConv2d(c7, c7, (7, 1), padding: (3, 0));
        branch7x7dbl_5 = new BasicConv2d(c7, 192, (1, 7), padding: (0, 3));
        branch_pool = new BasicConv2d(input, 192, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var dbl = branch7x7dbl_5.forward(branch7x7dbl_4.forward(branch7x7dbl_3.forward(branch7x7dbl_2.forward(branch7x7dbl_1.forward(x)))));
        return cat(new[]
        {
            branch1x1.forward(x),
            branch7x7_3.forward(branch7x7_2.forward(branch7x7_1.forward(x))),
            dbl,
            branch_pool.forward(Pool.Average3x3(x)),
        }, 1).MoveToOuterDisposeScope();
    }
}

public sealed class InceptionD : Module<Tensor, Tensor>
{
    readonly BasicConv2d branch3x3_1, branch3x3_2, branch7x7x3_1, branch7x7x3_2, branch7x7x3_3, branch7x7x3_4;

    public InceptionD(long input) : base("InceptionD")
    {
        branch3x3_1 = new BasicConv2d(input, 192, 1);
        branch3x3_2 = new BasicConv2d(192, 320, 3, stride: 2);
        branch7x7x3_1 = new BasicConv2d(input, 192, 1);
        branch7x7x3_2 = new BasicConv2d(192, 192, (1, 7), padding: (0, 3));
        branch7x7x3_3 = new BasicConv2d(192, 192, (7, 1), padding: (3, 0));
        branch7x7x3_4 = new BasicConv2d(192, 192, 3, stride: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return cat(new[]
        {
            branch3x3_2.forward(branch3x3_1.forward(x)),
            branch7x7x3_4.forward(branch7x7x3_3.forward(branch7x7x3_2.forward(branch7x7x3_1.forward(x)))),
            functional.max_pool2d(x, 3, 2),
        }, 1).MoveToOuterDisposeScope();
    }
}

/// <summary>InceptionE; the FID graph pools by average in Mixed_7b and by max in Mixed_7c.</summary>
public sealed class InceptionE : Module<Tensor, Tensor>
{
    readonly BasicConv2d branch1x1, branch3x3_1, branch3x3_2a, branch3x3_2b, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3a, branch3x3dbl_3b, branch_pool;
    readonly bool maxPool;

    public InceptionE(long input, bool maxPool) : base("InceptionE")
    {
        this.maxPool = maxPool;
        branch1x1 = new BasicConv2d(input, 320, 1);
        branch3x3_1 = new BasicConv2d(input, 384, 1);
        branch3x3_2a = new BasicConv2d(384, 384, (1, 3), padding: (0, 1));
        branch3x3_2b = new BasicConv2d(384, 384, (3, 1), padding: (1, 0));
        branch3x3dbl_1 = new BasicConv2d(input, 448, 1);
        branch3x3dbl_2 = new BasicConv2d(448, 384, 3, padding: 1);
        branch3x3dbl_3a = new BasicConv2d(384, 384, (1, 3), padding: (0, 1));
        branch3x3dbl_3b = new BasicConv2d(384, 384, (3, 1), padding: (1, 0));
        branch_pool = new BasicConv2d(input, 192, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b3 = branch3x3_1.forward(x);
        var d3 = branch3x3dbl_2.forward(branch3x3dbl_1.forward(x));
        var pooled = maxPool ? functional.max_pool2d(x, 3, 1, 1) : Pool.Average3x3(x);
        return cat(new[]
        {
            branch1x1.forward(x),
            cat(new[] { branch3x3_2a.forward(b3), branch3x3_2b.forward(b3) }, 1),
            cat(new[] { branch3x3dbl_3a.forward(d3), branch3x3dbl_3b.forward(d3) }, 1),
            branch_pool.forward(pooled),
        }, 1).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// FID InceptionV3: images N×3×H×W in [-1, 1] are resized to 299×299 (bilinear), then the network gives the
/// 2048-d average-pool features (FID, KID, precision/recall) and 1008 logits (Inception Score).
/// </summary>
public sealed class FidInceptionV3 : Module<Tensor, (Tensor Features, Tensor Logits)>
{
    readonly BasicConv2d Conv2d_1a_3x3, Conv2d_2a_3x3, Conv2d_2b_3x3, Conv2d_3b_1x1, Conv2d_4a_3x3;
    readonly InceptionA Mixed_5b, Mixed_5c, Mixed_5d;
    readonly InceptionB Mixed_6a;
    readonly InceptionC Mixed_6b, Mixed_6c, Mixed_6d, Mixed_6e;
    readonly InceptionD Mixed_7a;
    readonly InceptionE Mixed_7b, Mixed_7c;
    readonly Linear fc;

    public const int FeatureSize = 2048;
    public const int LogitCount = 1008;

    public FidInceptionV3() : base("FidInceptionV3")
    {
        Conv2d_1a_3x3 = new BasicConv2d(3, 32, 3, stride: 2);
        Conv2d_2a_3x3 = new BasicConv2d(32, 32, 3);
        Conv2d_2b_3x3 = new BasicConv2d(32, 64, 3, padding: 1);
        Conv2d_3b_1x1 = new BasicConv2d(64, 80, 1);
        Conv2d_4a_3x3 = new BasicConv2d(80, 192, 3);
        Mixed_5b = new InceptionA(192, 32);
        Mixed_5c = new InceptionA(256, 64);
        Mixed_5d = new InceptionA(288, 64);
        Mixed_6a = new InceptionB(288);
        Mixed_6b = new InceptionC(768, 128);
        Mixed_6c = new InceptionC(768, 160);
        Mixed_6d = new InceptionC(768, 160);
        Mixed_6e = new InceptionC(768, 192);
        Mixed_7a = new InceptionD(768);
        Mixed_7b = new InceptionE(1280, maxPool: false);
        Mixed_7c = new InceptionE(2048, maxPool: true);
        fc = Linear(FeatureSize, LogitCount);
        RegisterComponents();
    }

    public override (Tensor Features, Tensor Logits) forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = functional.interpolate(images, new long[] { 299, 299 }, mode: InterpolationMode.Bilinear, align_corners: false);
        x = Conv2d_2b_3x3.forward(Conv2d_2a_3x3.forward(Conv2d_1a_3x3.forward(x)));
        x = functional.max_pool2d(x, 3, 2);
        x = Conv2d_4a_3x3.forward(Conv2d_3b_1x1.forward(x));
        x = functional.max_pool2d(x, 3, 2);
        x = Mixed_5d.forward(Mixed_5c.forward(Mixed_5b.forward(x)));
        x = Mixed_6e.forward(Mixed_6d.forward(Mixed_6c.forward(Mixed_6b.forward(Mixed_6a.forward(x)))));
        x = Mixed_7c.forward(Mixed_7b.forward(Mixed_7a.forward(x)));
        var features = functional.adaptive_avg_pool2d(x, new long[] { 1, 1 }).flatten(1);
        var logits = fc.forward(features);
        return (features.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }
}
#pragma warning restore IDE1006
