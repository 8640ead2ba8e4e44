using static TorchSharp.torch;

namespace Mnemo.Evaluation;

/// <summary>The one way Mnemo draws many samples from a generator: fixed-size chunks without gradients,
/// concatenated, each chunk freed once copied.</summary>
public static class ChunkedSampling
{
    /// <summary><paramref name="total"/> samples from <paramref name="draw"/> (called with a chunk size, returning that
    /// many samples along dimension 0), in chunks of at most <paramref name="chunk"/>.</summary>
    /// <param name="minChunk">Smallest chunk drawn (2 for generators with batch norm); a last chunk that would be
    /// smaller is drawn at this size and cut.</param>
    public static Tensor Draw(long total, int chunk, Func<int, Tensor> draw, int minChunk = 1)
    {
        using var _ = no_grad();
        var parts = new List<Tensor>();
        try
        {
            for (long have = 0; have < total;)
            {
                int n = (int)Math.Max(minChunk, Math.Min(chunk, total - have));
                var part = draw(n);
                if (have + n > total)
                {
                    var cut = part.narrow(0, 0, total - have);
                    part.Dispose();
                    part = cut;
                }
                parts.Add(part);
                have += part.shape[0];
            }
            return cat(parts.ToArray());
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }
}
