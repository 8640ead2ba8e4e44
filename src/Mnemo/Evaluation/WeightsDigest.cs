using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>A content hash of a network's weights: new weights under an old file name get a new hash, so cached
/// statistics of the old weights are never reused.</summary>
public static class WeightsDigest
{
    /// <summary>SHA-256 (hex) over every state-dict entry's name, dtype, shape and bytes, in state-dict order.</summary>
    public static string Of(nn.Module module)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, value) in module.state_dict())
        {
            using var scope = NewDisposeScope();
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{name}|{value.dtype}|{string.Join(",", value.shape)}|"));
            using var host = value.detach().cpu().contiguous();
            hash.AppendData(host.bytes);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }
}
