using System.Runtime.CompilerServices;

// libtorch's random generator and thread count are process-wide: a test that draws random numbers while a seeded
// training run in another test is under way changes that run's stream. Measured: a killed-and-resumed run ended with
// other weights than the uninterrupted one in 2 of 2 trials while a second thread drew from the generator, and with
// the same weights in every trial without it (1 and 2 threads; AVX2, AVX512_CORE and the default oneDNN ISA).
// So the tests of this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Mnemo.Tests;

/// <summary>Names of test traits, so that CI can run a group again under other CPU kernels.</summary>
public static class TestTraits
{
    /// <summary>Tests whose floating-point results depend on the kernels libtorch and oneDNN pick for the CPU:
    /// `.ci/run` runs them again under other <c>ONEDNN_MAX_CPU_ISA</c> settings.</summary>
    public const string KernelSensitive = "KernelSensitive";
}

static class TestAssemblySetup
{
    /// <summary>Mnemo's OpenMP setting must reach the native environment before a test loads libtorch, whichever
    /// test happens to run first.</summary>
#pragma warning disable CA2255 // an initialiser on purpose: it must run before any test touches libtorch
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyMnemoDefaults() =>
        RuntimeHelpers.RunModuleConstructor(typeof(Mnemo.Training.OpenMpWaitPolicy).Module.ModuleHandle);
}
