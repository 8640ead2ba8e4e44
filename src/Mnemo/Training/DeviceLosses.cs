using static TorchSharp.torch;

namespace Mnemo.Training;

/// <summary>
/// The losses of one training iteration as they come out of it: scalar tensors on the run's device, stacked into one
/// 1-D float64 tensor without reading them, and how to turn their values into the system's typed record. The engine
/// reads them on the host only at its logging cadence and before checkpoints and evaluations (one synchronisation per
/// window, not per step).
/// </summary>
/// <typeparam name="TLosses">The system's typed losses record.</typeparam>
public sealed class DeviceLosses<TLosses> : IDisposable where TLosses : IStepLosses
{
    readonly bool[] _present;
    readonly Func<double?[], TLosses> _read;

    /// <summary>The loss terms that were computed, in order: 1-D float64, on the device they were computed on, detached.</summary>
    public Tensor Values { get; }

    DeviceLosses(Tensor values, bool[] present, Func<double?[], TLosses> read)
    {
        Values = values;
        _present = present;
        _read = read;
    }

    /// <summary>Stacks the scalar loss terms of one iteration (null for a term the iteration did not compute) without
    /// copying them to the host. The result outlives the caller's dispose scope; the engine disposes it.</summary>
    /// <param name="read">Builds the typed record from the terms' values, in the order given (null where absent).</param>
    /// <param name="terms">Scalar tensors (any shape with one element, any floating type), all on one device; at least
    /// one not null.</param>
    /// <exception cref="ArgumentException">No term, or a term with more than one element.</exception>
    public static DeviceLosses<TLosses> Of(Func<double?[], TLosses> read, params Tensor?[] terms)
    {
        var present = terms.Select(t => t is not null).ToArray();
        var given = terms.OfType<Tensor>().ToArray();
        if (given.Length == 0) throw new ArgumentException("an iteration computes at least one loss", nameof(terms));
        if (given.FirstOrDefault(t => t.numel() != 1) is { } wide) throw new ArgumentException($"a loss term must be a scalar, got shape [{string.Join(",", wide.shape)}]", nameof(terms));
        using var scope = NewDisposeScope();
        var values = cat(given.Select(t => t.detach().to_type(ScalarType.Float64).reshape(1)).ToArray()).DetachFromDisposeScope();
        return new DeviceLosses<TLosses>(values, present, read);
    }

    /// <summary>Losses already read on the host (a system without device-side losses, or a test).</summary>
    public static DeviceLosses<TLosses> OnHost(TLosses losses)
    {
        var values = losses.Values.ToArray();
        var present = values.Select(v => v.HasValue).ToArray();
        var stored = values.Where(v => v.HasValue).Select(v => v!.Value).DefaultIfEmpty(0).ToArray();
        return new DeviceLosses<TLosses>(tensor(stored, dtype: ScalarType.Float64), present.Any(p => p) ? present : [true], _ => losses);
    }

    /// <summary>Reads the values on the host (a synchronisation with the device) and builds the typed record.</summary>
    public TLosses Read()
    {
        using var host = Values.cpu();
        var values = host.data<double>().ToArray();
        var all = new double?[_present.Length];
        for (int i = 0, k = 0; i < all.Length; i++) all[i] = _present[i] ? values[k++] : null;
        return _read(all);
    }

    public void Dispose() => Values.Dispose();
}
