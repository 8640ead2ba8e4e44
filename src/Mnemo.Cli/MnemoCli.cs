using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;
using Mnemo.Cli.Commands;

namespace Mnemo.Cli;

/// <summary>The `mnemo` command: subcommands for data, the three method families, sampling and evaluation.</summary>
public static class MnemoCli
{
    /// <summary>The command users type: usage and errors name it whatever the executable is called (the dotnet
    /// tool and ./mnemo both run Mnemo.Cli.dll, which a <see cref="RootCommand"/> would show).</summary>
    public const string Name = "mnemo";

    public static Command Build()
    {
        var root = new Command(Name, "Mnemo: GANs that remember. Train, compare and inspect MeRGAN, MemoryGAN and Self-Conditioned GAN models.")
        {
            new HelpOption(), new VersionOption(),
        };
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
        root.Subcommands.Add(DeviceCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        _fileSizeSignal ??= IgnoreFileSizeSignal();
        var parse = Build().Parse(args);
        if (parse.Action is ParseErrorAction) return ParseFailure(parse);
        return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>Exit code of a command line that does not parse (unknown option, missing value): 2, as getopt tools.</summary>
    public const int UsageError = 2;

    /// <summary>A command line that does not parse: one `error:` line naming every problem and the command whose
    /// --help lists its options (instead of System.CommandLine's errors followed by the whole help text).</summary>
    static int ParseFailure(ParseResult parse)
    {
        var path = new List<string>();
        for (SymbolResult? s = parse.CommandResult; s is not null; s = s.Parent)
            if (s is CommandResult c) path.Insert(0, c.Command.Name);
        var problems = string.Join("; ", parse.Errors.Select(e => e.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.')));
        Console.Error.WriteLine($"error: {problems} (see '{string.Join(" ", path)} --help')");
        return UsageError;
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
