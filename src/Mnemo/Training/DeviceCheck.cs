using Mnemo.Continual;
using Mnemo.Data;
using Mnemo.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Training;

/// <summary>One check of <see cref="DeviceCheck"/>: its name, whether it passed, and what was measured.</summary>
public sealed record DeviceCheckResult(string Name, bool Passed, string Detail);

/// <summary>
/// The device-sensitive parts of a run checked on a device against the CPU (`mnemo device check`, run by
/// scripts/gpu-check.sh on a GPU machine, where no test runner exists): tensors round-trip, a dataset's batches and
/// labels gathered on the device, losses kept on the device and read later, a MeRGAN generator and critic built from
/// the same weights giving the same outputs, gradients (with the WGAN-GP double backward) and Adam step on both, and
/// checkpoints written on the device loading on the CPU and back. On the CPU against itself every check is exact.
/// </summary>
public static class DeviceCheck
{
    /// <summary>Largest relative difference between device and CPU results accepted: cuDNN may run float32
    /// convolutions in TF32 (10-bit mantissa, relative rounding about 5e-4) on Ampere and later GPUs, and a
    /// difference of summation order adds about as much again; 1e-2 leaves room for both through a backward pass
    /// and is far below what a wrong kernel, layout or device mix-up gives (order 1).</summary>
    public const double Tolerance = 1e-2;

    /// <summary>Runs every check on <paramref name="device"/> (small MeRGAN networks of the MNIST size, batch 8).</summary>
    /// <returns>One result per check, in order; none throws for a failed comparison.</returns>
    public static IReadOnlyList<DeviceCheckResult> Run(ComputeDevice device)
    {
        var results = new List<DeviceCheckResult>();
        void Check(string name, Func<DeviceCheckResult> check)
        {
            try { results.Add(check()); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                results.Add(new DeviceCheckResult(name, false, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}"));
            }
        }
        var d = device.Device;
        Check("tensor round trip", () =>
        {
            using var scope = NewDisposeScope();
            random.manual_seed(1);
            var x = randn(64, 3);
            var back = x.to(d).mul(2).cpu();
            bool same = back.allclose(x.mul(2), 0, 0);
            return new("tensor round trip", same, $"randn(64, 3) × 2 on {device.Name} and back: {(same ? "identical" : "different")}");
        });
        Check("dataset on the device", () =>
        {
            using var scope = NewDisposeScope();
            random.manual_seed(2);
            var pixels = randint(0, 256, new long[] { 20, 1, 8, 8 }, dtype: ScalarType.Byte);
            using var host = new ImageDataset("check", pixels, Enumerable.Range(0, 20).Select(i => (long)(i % 3)).ToArray(), ["a", "b", "c"]);
            using var onDevice = host.To(d);
            var idx = tensor(new long[] { 3, 0, 19, 7 });
            bool images = onDevice.Batch(idx.to(d)).cpu().allclose(host.Batch(idx), 0, 0);
            var labels = onDevice.LabelBatch(idx.to(d));
            bool same = images && labels.cpu().equal(host.LabelBatch(idx)).all().item<bool>() && ComputeDevice.SameDevice(labels.device, d);
            return new("dataset on the device", same, $"batch and labels gathered on {onDevice.Device}: {(same ? "identical to the CPU's" : "different")}");
        });
        Check("losses kept on the device", () =>
        {
            using var scope = NewDisposeScope();
            var a = tensor(0.25f, device: d);
            var b = tensor(-3.5, device: d);
            using var losses = DeviceLosses<CheckLosses>.Of(v => new CheckLosses(v[0]!.Value, v[1], v[2]!.Value), a, null, b);
            var read = losses.Read();
            bool same = read == new CheckLosses(0.25, null, -3.5) && ComputeDevice.SameDevice(losses.Values.device, d);
            return new("losses kept on the device", same, $"stacked on {losses.Values.device}, read {read.A}, {read.B?.ToString() ?? "null"}, {read.C}");
        });
        Check("MeRGAN networks, gradients and Adam", () => CompareTrainingStep(device));
        Check("checkpoint device → CPU → device", () => CheckpointAcrossDevices(device));
        return results;
    }

    sealed record CheckLosses(double A, double? B, double C) : IStepLosses
    {
        public IEnumerable<double?> Values => [A, B, C];
        public string Summary => "";
    }

    static MerganOptions SmallOptions() => MerganOptions.ForProfile("quick", "mnist") with { Dim = 16, BatchSize = 8, Method = ContinualMethod.Ra };

    /// <summary>The largest |a − b| over max(|b|) of the tensors (0 for identical ones).</summary>
    static double RelativeDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var diff = a.cpu().to_type(ScalarType.Float64).sub(b.cpu().to_type(ScalarType.Float64)).abs().max().item<double>();
        var scale = Math.Max(b.cpu().to_type(ScalarType.Float64).abs().max().item<double>(), 1e-12);
        return diff / scale;
    }

    /// <summary>Generator and critic with the CPU models' weights (copied through a checkpoint), the same inputs, then a
    /// critic loss with gradient penalty (α fixed, so both devices interpolate the same way), backward, and one Adam
    /// step: outputs, gradients and updated weights compared.</summary>
    static DeviceCheckResult CompareTrainingStep(ComputeDevice device)
    {
        const string name = "MeRGAN networks, gradients and Adam";
        var o = SmallOptions();
        random.manual_seed(3);
        using var cpu = new MerganModels(o, 10, 1, CPU);
        using var onDevice = new MerganModels(o, 10, 1, device.Device);
        var weights = new Checkpoint("check", 0, "check");
        cpu.Save(weights);
        onDevice.Load(weights, 0);

        using var scope = NewDisposeScope();
        var z = randn(o.BatchSize, o.ZDim);
        var labels = tensor(Enumerable.Range(0, o.BatchSize).Select(i => (long)(i % 10)).ToArray());
        var real = rand(o.BatchSize, 1, 32, 32).mul(2).sub(1);
        var alpha = rand(o.BatchSize, 1, 1, 1);
        var worst = new List<(string What, double Difference)>();
        (Tensor Fake, Tensor Loss) Step(MerganModels m, Device dev)
        {
            var fake = m.Generator.forward(z.to(dev), labels.to(dev));
            var r = real.to(dev);
            var (realScore, realLogits) = m.Critic.forward(r);
            var (fakeScore, _) = m.Critic.forward(fake.detach());
            var interpolates = r.add(alpha.to(dev).mul(fake.detach().sub(r))).requires_grad_(true);
            var scores = m.Critic.forward(interpolates).Critic;
            var gradients = autograd.grad([scores.sum()], [interpolates], retain_graph: true, create_graph: true)[0];
            var gp = linalg.vector_norm(gradients.flatten(1), dims: [1]).sub(1.0).square().mean();
            var loss = WganGpLoss.Critic(realScore, fakeScore).add(gp.mul(o.GradientPenaltyWeight))
                .add(AuxiliaryClassifierLoss.Compute(realLogits, labels.to(dev)).mul(o.AcganScaleCritic));
            m.CriticOptimizer.zero_grad();
            loss.backward();
            return (fake, loss);
        }
        var (fakeCpu, lossCpu) = Step(cpu, CPU);
        var (fakeDevice, lossDevice) = Step(onDevice, device.Device);
        worst.Add(("generated images", RelativeDifference(fakeDevice, fakeCpu)));
        worst.Add(("critic loss", RelativeDifference(lossDevice, lossCpu)));
        foreach (var ((pname, a), (_, b)) in onDevice.Critic.named_parameters().Zip(cpu.Critic.named_parameters()))
            if (a.grad is { } ga && b.grad is { } gb) worst.Add(($"gradient of critic {pname}", RelativeDifference(ga, gb)));
        cpu.CriticOptimizer.step();
        onDevice.CriticOptimizer.step();
        foreach (var ((pname, a), (_, b)) in onDevice.Critic.named_parameters().Zip(cpu.Critic.named_parameters()))
            worst.Add(($"critic {pname} after Adam", RelativeDifference(a, b)));
        var max = worst.MaxBy(w => w.Difference);
        bool onTheDevice = onDevice.Critic.parameters().All(p => ComputeDevice.SameDevice(p.device, device.Device));
        return new(name, max.Difference <= Tolerance && onTheDevice,
            $"{worst.Count} comparisons, largest relative difference {max.Difference:0.###e+0} ({max.What}; tolerance {Tolerance:0.###e+0})" +
            (onTheDevice ? "" : $"; the critic's weights are not all on {device.Name}"));
    }

    /// <summary>Weights and Adam state written from the device, loaded into CPU models, written again and loaded back
    /// onto the device: every tensor identical (a checkpoint holds host copies, so the device does not matter).</summary>
    static DeviceCheckResult CheckpointAcrossDevices(ComputeDevice device)
    {
        const string name = "checkpoint device → CPU → device";
        var o = SmallOptions();
        random.manual_seed(4);
        using var onDevice = new MerganModels(o, 10, 1, device.Device);
        using (var scope = NewDisposeScope())
        {
            // One Adam step, so that the optimizer has state to carry.
            var loss = onDevice.Critic.forward(rand(4, 1, 32, 32, device: device.Device)).Critic.mean();
            onDevice.CriticOptimizer.zero_grad();
            loss.backward();
            onDevice.CriticOptimizer.step();
        }
        var written = new Checkpoint("check", 1, "check");
        onDevice.Save(written);
        using var cpu = new MerganModels(o, 10, 1, CPU);
        cpu.Load(written, 0);
        var again = new Checkpoint("check", 1, "check");
        cpu.Save(again);
        using var back = new MerganModels(o, 10, 1, device.Device);
        back.Load(again, 0);
        int compared = 0;
        double worst = 0;
        foreach (var (a, b) in onDevice.Critic.state_dict().Values.Concat(onDevice.Generator.state_dict().Values)
                     .Zip(cpu.Critic.state_dict().Values.Concat(cpu.Generator.state_dict().Values)))
        {
            worst = Math.Max(worst, RelativeDifference(a, b));
            compared++;
        }
        foreach (var (a, b) in onDevice.Critic.state_dict().Values.Zip(back.Critic.state_dict().Values))
        {
            worst = Math.Max(worst, RelativeDifference(a, b));
            compared++;
        }
        bool sameSections = written.Sections.Keys.Order().SequenceEqual(again.Sections.Keys.Order())
                            && written.Sections["module:critic"].AsSpan().SequenceEqual(again.Sections["module:critic"])
                            && written.Sections["optim:critic"].AsSpan().SequenceEqual(again.Sections["optim:critic"]);
        bool placed = back.Critic.parameters().All(p => ComputeDevice.SameDevice(p.device, device.Device))
                      && cpu.Critic.parameters().All(p => p.device_type == DeviceType.CPU);
        return new(name, worst == 0 && sameSections && placed,
            $"{compared} tensors compared, largest difference {worst:0.###e+0}; module and Adam sections written on {device.Name} and on the CPU " +
            $"{(sameSections ? "byte-identical" : "differ")}{(placed ? "" : "; a model is not on its device")}");
    }
}
