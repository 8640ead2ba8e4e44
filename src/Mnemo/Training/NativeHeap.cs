using System.Runtime.InteropServices;

namespace Mnemo.Training;

/// <summary>Hands the native heap's free memory back to the operating system (glibc's <c>malloc_trim</c>): libtorch
/// frees tensors into malloc's arenas, which keep the pages resident otherwise.</summary>
static class NativeHeap
{
    [DllImport("libc", EntryPoint = "malloc_trim")]
    static extern int MallocTrim(nuint pad);

    static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Trims the native heap where glibc is the C library; elsewhere (macOS, Windows, musl) does nothing.</summary>
    public static void Trim()
    {
        if (_unavailable) return;
        try
        {
            MallocTrim(0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            _unavailable = true;
        }
    }
}
