using System.Text.Json.Serialization;

namespace Mnemo.Sweeps;

/// <summary>The system a grid trains: its id is the `mnemo` command that runs one of its points.</summary>
[JsonConverter(typeof(IdEnumConverter<SweepSystem>))]
public enum SweepSystem
{
    /// <summary>MeRGAN-family continual learning (`mnemo continual`).</summary>
    Continual,
    /// <summary>The Self-Conditioned GAN and its baselines (`mnemo selfcond`).</summary>
    Selfcond,
    /// <summary>MemoryGAN and its ablations (`mnemo memorygan`).</summary>
    Memorygan,
}
