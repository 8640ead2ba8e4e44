using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Mnemo.Interop;

/// <summary>
/// State dicts (parameter name → tensor) in PyTorch's and safetensors' files, through TorchSharp.PyBridge, and
/// loading them into a module with every name and shape checked first, so a file for another network is refused
/// with one line that says what differs.
/// </summary>
public static class StateDictFile
{
    /// <summary>Reads a PyTorch (zip) or safetensors state dict.</summary>
    /// <exception cref="MnemoException">The file is in another format or is not a state dict of tensors.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var format = WeightsFormats.Detect(path);
        try
        {
            switch (format)
            {
                case WeightsFormat.Safetensors:
                    return Safetensors.LoadStateDict(path);
                case WeightsFormat.PyTorchZip:
                    using (var stream = File.OpenRead(path))
                    {
                        var table = PyTorchUnpickler.UnpickleStateDict(stream);
                        return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as Tensor
                            ?? throw new MnemoException($"{path}: entry '{e.Key}' is not a tensor; save the model's state_dict(), not the model."));
                    }
                case WeightsFormat.PyTorchLegacy:
                    return LegacyTorchPickle.Read(path);
                default:
                    throw new MnemoException($"{path} is neither a PyTorch state dict nor a safetensors file.");
            }
        }
        catch (Exception e) when (e is InvalidCastException or NotImplementedException or InvalidDataException or InvalidOperationException
                                      or System.Text.Json.JsonException or Razorvine.Pickle.PickleException or IOException
                                      or KeyNotFoundException or FormatException or OverflowException)
        {
            throw new MnemoException($"{path} looks like a {format.Describe()} but cannot be read ({e.Message}).");
        }
    }

    /// <summary>Writes a state dict as a PyTorch zip (<c>torch.load</c> reads it) or, for a path ending in
    /// ".safetensors", a safetensors file; atomically.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> state)
    {
        var copy = state.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous());
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                Training.AtomicFile.Write(path, s => Safetensors.SaveStateDict(s, copy, leaveOpen: true));
            else
                Training.AtomicFile.Write(path, s => PyTorchPickler.PickleStateDict(s, new Dictionary<string, Tensor>(copy), leaveOpen: true));
        }
        finally
        {
            foreach (var t in copy.Values) t.Dispose();
        }
    }

    /// <summary>Copies <paramref name="state"/> into <paramref name="module"/> after checking that the names and
    /// shapes are exactly the module's (BatchNorm's <c>num_batches_tracked</c> counters may be present or not:
    /// inference never reads them).</summary>
    /// <param name="what">The network, for the error, e.g. "FID InceptionV3 weights".</param>
    /// <exception cref="MnemoException">Names or shapes differ; the message counts and names the differences.</exception>
    public static void LoadInto(nn.Module module, IReadOnlyDictionary<string, Tensor> state, string source, string what)
    {
        static bool Counter(string name) => name.EndsWith("num_batches_tracked", StringComparison.Ordinal);
        var target = module.state_dict().Where(kv => !Counter(kv.Key)).ToDictionary();
        var given = state.Where(kv => !Counter(kv.Key)).ToDictionary();
        var missing = target.Keys.Where(k => !given.ContainsKey(k)).ToList();
        var unexpected = given.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var shapes = target.Where(kv => given.TryGetValue(kv.Key, out var g) && !g.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key}: file [{string.Join(", ", given[kv.Key].shape)}], expected [{string.Join(", ", kv.Value.shape)}]").ToList();
        if (missing.Count + unexpected.Count + shapes.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"{missing.Count} of its {target.Count} parameters missing (e.g. {missing[0]})");
            if (unexpected.Count > 0) parts.Add($"{unexpected.Count} unknown (e.g. {unexpected[0]})");
            if (shapes.Count > 0) parts.Add($"{shapes.Count} of another shape (e.g. {shapes[0]})");
            throw new MnemoException($"{source} does not hold {what}: {string.Join("; ", parts)}.");
        }
        using var _ = no_grad();
        foreach (var (name, tensor) in target) tensor.copy_(given[name]);
    }
}
