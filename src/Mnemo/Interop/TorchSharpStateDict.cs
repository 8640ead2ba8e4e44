using System.Text;
using static TorchSharp.torch;

namespace Mnemo.Interop;

/// <summary>Reads a state dict written by TorchSharp's <c>module.save</c> (the format of checkpoint module sections):
/// a LEB128 entry count, then per entry its name (a .NET string) and the tensor (dtype, rank, shape, raw bytes).</summary>
public static class TorchSharpStateDict
{
    /// <exception cref="MnemoException">The bytes are not such a state dict.</exception>
    public static Dictionary<string, Tensor> Read(byte[] bytes, string source)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        var state = new Dictionary<string, Tensor>();
        try
        {
            long count = Leb128(reader);
            for (long i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                state[name] = Tensor.Load(reader);
            }
            return state;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or NotImplementedException)
        {
            foreach (var t in state.Values) t.Dispose();
            throw new MnemoException($"{source} is not a TorchSharp state dict ({e.Message}).");
        }
    }

    /// <summary>An unsigned LEB128 number, as TorchSharp writes the entry count (its own decoder is internal).</summary>
    static long Leb128(BinaryReader reader)
    {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            long b = reader.ReadByte();
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new IOException("entry count longer than 64 bits");
    }
}
