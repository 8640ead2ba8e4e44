using System.Buffers.Binary;

namespace Mnemo.Interop;

/// <summary>The weight-file formats Mnemo reads, told apart by their first bytes (never by the file name).</summary>
public enum WeightsFormat
{
    /// <summary>TorchSharp's own <c>module.save</c> format (and TorchSharp's exportsd.py): no magic bytes.</summary>
    TorchSharp,
    /// <summary><c>torch.save</c> since PyTorch 1.6: a zip archive ("PK\x03\x04") holding data.pkl and the storages.</summary>
    PyTorchZip,
    /// <summary><c>torch.save</c> before PyTorch 1.6 (or with <c>_use_new_zipfile_serialization=False</c>): a bare
    /// pickle stream (protocol opcode 0x80), read by <see cref="LegacyTorchPickle"/>.</summary>
    PyTorchLegacy,
    /// <summary>safetensors: a little-endian uint64 header length, then a JSON header starting with '{'.</summary>
    Safetensors,
}

/// <summary>Detects a <see cref="WeightsFormat"/> from a file's content.</summary>
public static class WeightsFormats
{
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static WeightsFormat Detect(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> head = stackalloc byte[9];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return WeightsFormat.PyTorchZip;
        if (n >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5) return WeightsFormat.PyTorchLegacy;
        if (n == 9 && head[8] == '{' && BinaryPrimitives.ReadUInt64LittleEndian(head) is var length && length < (ulong)stream.Length - 8)
            return WeightsFormat.Safetensors;
        return WeightsFormat.TorchSharp;
    }

    /// <summary>How the format is named in messages and docs.</summary>
    public static string Describe(this WeightsFormat format) => format switch
    {
        WeightsFormat.PyTorchZip => "PyTorch state dict (torch.save)",
        WeightsFormat.PyTorchLegacy => "PyTorch state dict (torch.save, pre-1.6 format)",
        WeightsFormat.Safetensors => "safetensors file",
        _ => "TorchSharp weights file",
    };
}
