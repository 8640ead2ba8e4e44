using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Training;

/// <summary>
/// A training checkpoint: JSON metadata (kind, format, step, settings fingerprint) plus named binary sections
/// (module weights, optimizer state, RNG state). File layout: magic, metadata, sections, SHA-256 of all of it,
/// so a truncated or corrupt file is recognised instead of half-loaded.
/// </summary>
public sealed class Checkpoint
{
    public const int FormatVersion = 1;
    static readonly byte[] Magic = "MNEMOCK1"u8.ToArray();

    public JsonObject Meta { get; }
    public Dictionary<string, byte[]> Sections { get; } = new();

    public Checkpoint(string kind, long step, string fingerprint)
    {
        Meta = new JsonObject { ["kind"] = kind, ["format"] = FormatVersion, ["step"] = step, ["fingerprint"] = fingerprint };
    }

    Checkpoint(JsonObject meta) => Meta = meta;

    public string Kind => (string)Meta["kind"]!;
    public long Step => (long)Meta["step"]!;
    public string Fingerprint => (string)Meta["fingerprint"]!;

    /// <summary>Stores a module's state dict (parameters and buffers) as host copies, in the byte format of
    /// TorchSharp's <c>Module.save</c> (LEB128 count, then name and tensor per entry), so the section does not depend on
    /// the device the module lives on.</summary>
    public void AddModule(string name, nn.Module module)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            var state = module.state_dict();
            WriteLeb128(w, state.Count);
            foreach (var (key, value) in state)
            {
                w.Write(key);
                using var host = value.detach().cpu();
                host.Save(w);
            }
        }
        Sections[$"module:{name}"] = ms.ToArray();
    }

    /// <summary>Restores what <see cref="AddModule"/> wrote into <paramref name="module"/>, wherever its tensors live:
    /// each stored tensor is read on the host and copied onto the device of the module's own tensor (the map to the
    /// run's device). Every stored name must exist in the module with the same shape, and every module tensor must be
    /// stored.</summary>
    /// <exception cref="MnemoException">The section is missing or does not fit the module.</exception>
    public void LoadModule(string name, nn.Module module)
    {
        var bytes = Require($"module:{name}");
        using var r = new BinaryReader(new MemoryStream(bytes));
        try
        {
            var state = module.state_dict();
            long count = ReadLeb128(r);
            if (count != state.Count) throw new InvalidOperationException($"{count} stored tensors, the model has {state.Count}");
            using var _ = no_grad();
            for (long i = 0; i < count; i++)
            {
                var key = r.ReadString();
                if (!state.TryGetValue(key, out var target)) throw new ArgumentException($"the model has no tensor '{key}'");
                using var stored = Tensor.Load(r);
                if (!stored.shape.SequenceEqual(target.shape))
                    throw new ArgumentException($"'{key}' is stored as [{string.Join(",", stored.shape)}], the model's is [{string.Join(",", target.shape)}]");
                if (stored.dtype != target.dtype) throw new ArgumentException($"'{key}' is stored as {stored.dtype}, the model's is {target.dtype}");
                target.copy_(stored);
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException or FormatException)
        {
            throw new MnemoException($"checkpoint section '{name}' does not fit this model ({e.Message}); it was written by a different model or version.");
        }
    }

    /// <summary>An unsigned LEB128 number, as TorchSharp's module files write their entry count.</summary>
    static void WriteLeb128(BinaryWriter w, long value)
    {
        ulong v = (ulong)value;
        do
        {
            byte b = (byte)(v & 0x7F);
            v >>= 7;
            w.Write(v != 0 ? (byte)(b | 0x80) : b);
        } while (v != 0);
    }

    /// <exception cref="FormatException">More than 64 bits.</exception>
    static long ReadLeb128(BinaryReader r)
    {
        ulong result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = r.ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return (long)result;
        }
        throw new FormatException("a tensor count longer than 64 bits");
    }

    public void AddOptimizer(string name, optim.Optimizer optimizer)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(w);
        Sections[$"optim:{name}"] = ms.ToArray();
    }

    public void LoadOptimizer(string name, optim.Optimizer optimizer)
    {
        using var r = new BinaryReader(new MemoryStream(Require($"optim:{name}")));
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(r);
    }

    /// <summary>Stores torch's global RNG state, so a resumed run draws the same noise as an uninterrupted one.</summary>
    public void AddRngState()
    {
        using var state = torch.random.get_rng_state();
        Sections["rng:torch"] = state.data<byte>().ToArray();
    }

    public void RestoreRngState()
    {
        using var state = torch.tensor(Require("rng:torch"));
        torch.random.set_rng_state(state);
    }

    /// <summary>Stores a host copy of <paramref name="t"/> (any device).</summary>
    public void AddTensor(string name, Tensor t)
    {
        using var ms = new MemoryStream();
        using var host = t.detach().cpu();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) host.Save(w);
        Sections[$"tensor:{name}"] = ms.ToArray();
    }

    /// <summary>A tensor stored by <see cref="AddTensor"/>, on <paramref name="device"/> (default: the host).</summary>
    public Tensor LoadTensor(string name, Device? device = null)
    {
        using var r = new BinaryReader(new MemoryStream(Require($"tensor:{name}")));
        var host = Tensor.Load(r);
        if (device is null || device.type == DeviceType.CPU) return host;
        using (host) return host.to(device);
    }

    public bool Has(string section) => Sections.ContainsKey(section);

    byte[] Require(string section) =>
        Sections.TryGetValue(section, out var bytes) ? bytes
            : throw new MnemoException($"checkpoint has no section '{section}'; it was written by a different model or version.");

    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var hashing = new MemoryStream();
        using (var w = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Meta.ToJsonString());
            w.Write(Sections.Count);
            foreach (var (name, bytes) in Sections)
            {
                w.Write(name);
                w.Write(bytes.Length);
                w.Write(bytes);
            }
        }
        var body = hashing.ToArray();
        stream.Write(body);
        stream.Write(SHA256.HashData(body));
    });

    public static Checkpoint Load(string path)
    {
        byte[] all;
        try { all = File.ReadAllBytes(path); }
        catch (IOException e) { throw new MnemoException($"cannot read checkpoint {path}: {e.Message}"); }
        if (all.Length < Magic.Length + 32 || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new MnemoException($"{path} is not a Mnemo checkpoint.");
        var body = all.AsSpan(0, all.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(all.AsSpan(all.Length - 32)))
            throw new MnemoException($"{path} is truncated or corrupt (checksum mismatch).");
        using var r = new BinaryReader(new MemoryStream(body.ToArray()));
        r.ReadBytes(Magic.Length);
        var meta = JsonNode.Parse(r.ReadString())!.AsObject();
        var checkpoint = new Checkpoint(meta);
        int count = r.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            var name = r.ReadString();
            checkpoint.Sections[name] = r.ReadBytes(r.ReadInt32());
        }
        if ((int?)meta["format"] != FormatVersion)
            throw new IncompatibleCheckpointException($"{path} has checkpoint format {meta["format"]}, this Mnemo reads format {FormatVersion}; " +
                "resume it with the Mnemo version that wrote it, or start a new run.");
        return checkpoint;
    }

    /// <summary>The kind a checkpoint file declares, read from its header alone (no checksum: a loader checks that).</summary>
    /// <exception cref="MnemoException">The file is not a Mnemo checkpoint or cannot be read.</exception>
    public static string ReadKind(string path)
    {
        try
        {
            using var r = new BinaryReader(File.OpenRead(path));
            if (!r.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new MnemoException($"{path} is not a Mnemo checkpoint.");
            return (string?)JsonNode.Parse(r.ReadString())?["kind"] ?? throw new MnemoException($"{path} names no kind.");
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            throw new MnemoException($"cannot read checkpoint {path}: {e.Message}");
        }
    }

    /// <summary>A short stable hash of the settings that must not change between a run and its resume: of their
    /// compact text with System.Text.Json's default escaping ('+' as \u002B), the canonical form since the first
    /// format, whatever form config.json is written in.</summary>
    public static string FingerprintOf(JsonObject settings)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(settings.ToJsonString()));
        return Convert.ToHexStringLower(hash)[..16];
    }
}
