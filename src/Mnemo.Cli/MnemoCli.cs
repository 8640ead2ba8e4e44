using System.CommandLine;
using System.Runtime.InteropServices;
using Mnemo.Cli.Commands;

namespace Mnemo.Cli;

/// <summary>The `mnemo` command: subcommands for data, the three method families, sampling and evaluation.</summary>
public static class MnemoCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Mnemo: GANs that remember. Train, compare and inspect MeRGAN, MemoryGAN and Self-Conditioned GAN models.");
        root.Subcommands.Add(DataCommands.Build());
        root.Subcommands.Add(ContinualCommands.Build());
        root.Subcommands.Add(SampleCommand.Build());
        root.Subcommands.Add(ExportCommand.Build());
        root.Subcommands.Add(SelfCondCommand.Build());
        root.Subcommands.Add(MemoryGanCommand.Build());
        root.Subcommands.Add(EvalCommands.Build());
        root.Subcommands.Add(ReportCommands.Build());
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(SweepCommands.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        _fileSizeSignal ??= IgnoreFileSizeSignal();
        var parse = Build().Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>SIGXFSZ (25 on Linux and macOS), sent when a write passes the file-size limit (`ulimit -f`), would kill
    /// the process mid-write by default; handled, the write fails with EFBIG instead and is reported as "could not
    /// write PATH" like a full disk. Held for the whole process: a failed file stream retries its flush when it is
    /// finalised at exit. Null on Windows, which has no such signal.</summary>
    static PosixSignalRegistration? _fileSizeSignal;

    static PosixSignalRegistration? IgnoreFileSizeSignal() =>
        OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create((PosixSignal)25, context => context.Cancel = true);

    /// <summary>Runs a command body: a user error or an environment failure (permissions, missing folder, disk full,
    /// file-size limit) prints one line and exits 1; anything unexpected exits 70 (set MNEMO_DEBUG=1 to see the
    /// stack trace).</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (MnemoException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (FileAccessException.IsEnvironmentFailure(e))
        {
            Console.Error.WriteLine($"error: {FileFailure.Describe(e)}");
            return 1;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("MNEMO_DEBUG") is null)
        {
            Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message} (set MNEMO_DEBUG=1 for details)");
            return 70;
        }
    }
}
