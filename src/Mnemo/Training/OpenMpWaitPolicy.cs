using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mnemo.Training;

/// <summary>
/// Makes libtorch's OpenMP threads sleep, not spin, between parallel regions unless the user chose otherwise.
/// <para>libtorch's CPU build runs its intra-op parallelism on GNU OpenMP (libgomp), whose idle threads busy-wait
/// for up to 300,000 spins (GOMP_SPINCOUNT) after every parallel region. One process alone loses nothing by that,
/// but two Mnemo processes (or one beside any CPU-heavy program) on the same cores take turns burning each other's
/// time slices: a quick-profile MeRGAN run fell from about 7 to 0.5 iterations/s with two runs on 2 cores. Passive
/// waiting removes the collapse; <c>bench --only sidebyside</c> measures both settings alone and side by side.</para>
/// <para>libgomp reads its environment once, when libtorch is loaded, so the variable is set in the native
/// environment (libc <c>setenv</c>; .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not
/// reach it on Unix) by this assembly's module initializer, before the first TorchSharp call.</para>
/// </summary>
public static class OpenMpWaitPolicy
{
    /// <summary>The variables a user can set to choose the waiting behaviour; if either is set, Mnemo leaves both alone.</summary>
    public static readonly string[] UserVariables = { "OMP_WAIT_POLICY", "GOMP_SPINCOUNT" };

    /// <summary>What this process runs with: the user's setting, or Mnemo's default <c>PASSIVE</c>.</summary>
    public static string Describe() =>
        UserVariables.Select(v => (v, Environment.GetEnvironmentVariable(v))).Where(p => p.Item2 is not null)
            .Select(p => $"{p.v}={p.Item2}").DefaultIfEmpty("OMP_WAIT_POLICY=PASSIVE").Aggregate((a, b) => $"{a} {b}");

#pragma warning disable CA2255 // A library initialiser on purpose: it must run before any caller loads libtorch.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ApplyDefault()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // libgomp is the Unix builds' runtime
        if (UserVariables.Any(v => Environment.GetEnvironmentVariable(v) is not null)) return;
        Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE"); // the managed view, for child processes
        try { _ = setenv("OMP_WAIT_POLICY", "PASSIVE", 0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { } // no libc: nothing to tune
    }

    [DllImport("libc", SetLastError = true)]
    static extern int setenv([MarshalAs(UnmanagedType.LPStr)] string name, [MarshalAs(UnmanagedType.LPStr)] string value, int overwrite);
}
