namespace Mnemo.Tests;

/// <summary>Tests that seed or draw from libtorch's global generator (module initialisation included) run alone:
/// run in parallel, they would change the numbers other tests draw between a seed and its use (for example
/// CheckpointTests' RNG round trip).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalTorchRng
{
    public const string Name = "global torch RNG";
}
