using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnemo.Training;

/// <summary>
/// Where a run computes: the request as the user wrote it (<c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>) and
/// the torch device it resolved to. <c>auto</c> is CUDA (device 0) when libtorch's CUDA library loads and sees a GPU,
/// else the CPU. A run's models, batches, noise and losses live on <see cref="Device"/>; its checkpoints do not
/// depend on it (<see cref="Checkpoint"/> stores host copies), so a run may resume on another device.
/// </summary>
/// <param name="Requested">The request, normalised to lower case ("auto", "cpu", "cuda", "cuda:1").</param>
/// <param name="Device">The torch device it resolved to.</param>
public sealed record ComputeDevice(string Requested, Device Device)
{
    /// <summary>The choices <c>--device</c> takes, for help texts.</summary>
    public const string Choices = "auto|cpu|cuda|cuda:N";

    /// <summary>The CPU, as requested explicitly.</summary>
    public static ComputeDevice Cpu { get; } = new("cpu", CPU);

    /// <summary>The resolved device's name as torch writes it ("cpu", "cuda:0").</summary>
    public string Name => IsCuda ? $"cuda:{Math.Max(0, (int)Device.index)}" : "cpu";

    public bool IsCuda => Device.type == DeviceType.CUDA;

    /// <summary>"cpu", or "cuda:0 (requested: auto)" when the request was not the device's own name.</summary>
    public string Description => Requested == Name ? Name : $"{Name} (requested: {Requested})";

    /// <summary>Checks the syntax of a device request and normalises it (without loading anything).</summary>
    /// <exception cref="MnemoException">Not one of auto, cpu, cuda, cuda:N (N a device number ≥ 0).</exception>
    public static string Normalize(string request)
    {
        var r = request.Trim().ToLowerInvariant();
        if (r is "auto" or "cpu" or "cuda") return r;
        if (r.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(r["cuda:".Length..], System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int index))
            return $"cuda:{index}";
        throw new MnemoException($"unknown device '{request}'; choose {Choices} (e.g. --device cuda:1)");
    }

    /// <summary>Resolves a request to a device this process can use: <c>auto</c> (also for null) is CUDA device 0 when
    /// CUDA loads, else the CPU; <c>cuda</c> is device 0.</summary>
    /// <exception cref="MnemoException">A bad request; <c>cuda</c> where CUDA cannot be loaded (the message says what was
    /// tried and what to install); a device number beyond the GPUs present.</exception>
    public static ComputeDevice Resolve(string? request)
    {
        var r = Normalize(request ?? "auto");
        if (r == "cpu") return Cpu;
        var probe = CudaProbe.Result;
        if (r == "auto") return new ComputeDevice(r, probe.Available ? new Device(DeviceType.CUDA, 0) : CPU);
        if (!probe.Available) throw new MnemoException(CudaMissingMessage(r, probe));
        int index = r == "cuda" ? 0 : int.Parse(r["cuda:".Length..], System.Globalization.CultureInfo.InvariantCulture);
        if (index >= probe.DeviceCount)
            throw new MnemoException($"--device {r}: this machine has {probe.DeviceCount} CUDA device{(probe.DeviceCount == 1 ? "" : "s")} " +
                                     $"(cuda:0{(probe.DeviceCount > 1 ? $" to cuda:{probe.DeviceCount - 1}" : "")}); choose one of them or --device cpu");
        return new ComputeDevice(r, new Device(DeviceType.CUDA, index));
    }

    static string CudaMissingMessage(string request, CudaProbe probe) =>
        $"--device {request}: CUDA cannot be used in this process. Tried: {probe.Tried}. " +
        "To run on an NVIDIA GPU, either build Mnemo with TorchSharp's CUDA package (`dotnet build -c Release -p:TorchBackend=cuda`, " +
        "which needs TorchSharp-cuda-linux from your NuGet source) or use an existing PyTorch CUDA install: put its torch/lib folder " +
        "(python3 -c \"import torch,os;print(os.path.dirname(torch.__file__))\", then /lib) on LD_LIBRARY_PATH with no libtorch*.so of the CPU " +
        "package beside the application (README, section 'Running on an NVIDIA GPU'). Or choose --device cpu (--device auto uses CUDA only when it loads).";

    /// <summary>Whether two devices are the same (a CUDA device without an index counts as device 0).</summary>
    public static bool SameDevice(Device a, Device b) =>
        a.type == b.type && (a.type != DeviceType.CUDA || Math.Max(0, (int)a.index) == Math.Max(0, (int)b.index));

    public override string ToString() => Description;
}

/// <summary>What loading libtorch's CUDA support found in this process (probed once, on first request).</summary>
/// <param name="Available">libtorch_cuda loaded and sees at least one GPU.</param>
/// <param name="DeviceCount">GPUs libtorch sees (0 without CUDA).</param>
/// <param name="Tried">What was tried and what happened, for the error message.</param>
public sealed record CudaProbe(bool Available, int DeviceCount, string Tried)
{
    static readonly Lazy<CudaProbe> Once = new(Run);

    /// <summary>The probe of this process (runs it on first use).</summary>
    public static CudaProbe Result => Once.Value;

    static CudaProbe Run()
    {
        var tried = new List<string>();
        var appDir = AppContext.BaseDirectory;
        bool libraryLoads = NativeLibrary.TryLoad("libtorch_cuda.so", typeof(torch).Assembly, DllImportSearchPath.AssemblyDirectory, out _)
                            || NativeLibrary.TryLoad("libtorch_cuda.so", out _);
        var ldPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        tried.Add($"loading libtorch_cuda.so from the application folder ({appDir}) and the library path " +
                  $"(LD_LIBRARY_PATH={(string.IsNullOrEmpty(ldPath) ? "unset" : ldPath)}): {(libraryLoads ? "loaded" : "not found or not loadable")}");
        try
        {
            bool available = cuda.is_available();
            int count = available ? cuda.device_count() : 0;
            tried.Add(available ? $"torch.cuda.is_available(): true, {count} device(s)"
                : libraryLoads ? "torch.cuda.is_available(): false (libtorch_cuda loaded, but no GPU or driver was found)"
                : "torch.cuda.is_available(): false (this Mnemo's libtorch is the CPU build)");
            return new CudaProbe(available && count > 0, count, string.Join("; ", tried));
        }
        catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException
                                      or EntryPointNotFoundException or InvalidOperationException or ExternalException)
        {
            tried.Add($"initialising TorchSharp's CUDA backend failed ({(e.InnerException ?? e).GetType().Name}: {FirstLine((e.InnerException ?? e).Message)})");
            return new CudaProbe(false, 0, string.Join("; ", tried));
        }
    }

    static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
