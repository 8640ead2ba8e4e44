using System.Runtime.InteropServices;

namespace Mnemo.Tests.Training;

public class OpenMpWaitPolicyTests
{
    [DllImport("libc")]
    static extern IntPtr getenv([MarshalAs(UnmanagedType.LPStr)] string name);

    [Fact]
    public void LibtorchSeesPassiveWaitingUnlessTheUserChose()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc and libgomp: the Linux build
        // The environment this process was started with (before Mnemo's initialiser ran), as the user set it.
        var initial = File.ReadAllText("/proc/self/environ").Split('\0')
            .Select(e => e.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
        string? native = Marshal.PtrToStringAnsi(getenv("OMP_WAIT_POLICY"));
        if (initial.ContainsKey("OMP_WAIT_POLICY") || initial.ContainsKey("GOMP_SPINCOUNT"))
            Assert.Equal(initial.GetValueOrDefault("OMP_WAIT_POLICY"), native); // the user's choice is left alone
        else
            Assert.Equal("PASSIVE", native);
    }
}
