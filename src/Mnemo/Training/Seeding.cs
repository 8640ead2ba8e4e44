using static TorchSharp.torch;

namespace Mnemo.Training;

public static class Seeding
{
    /// <summary>Seeds torch's global generator; all of Mnemo's training randomness (noise, batches, init) draws from it.</summary>
    public static void Seed(int seed)
    {
        random.manual_seed(seed);
    }

    /// <summary>Sets libtorch's intra-op threads (default: all cores).</summary>
    public static void ConfigureThreads(int? threads)
    {
        int n = threads ?? Environment.ProcessorCount;
        if (n < 1) throw new MnemoException("--threads must be at least 1");
        set_num_threads(n);
    }
}
