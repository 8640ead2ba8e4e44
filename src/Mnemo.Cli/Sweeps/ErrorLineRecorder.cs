using System.Text;

namespace Mnemo.Cli.Sweeps;

/// <summary>Passes standard error through and keeps the last "error: …" line the command printed (the one line
/// <see cref="MnemoCli.Guard"/> writes), so run-point can record why a run stopped.</summary>
public sealed class ErrorLineRecorder(TextWriter inner) : TextWriter
{
    readonly StringBuilder _line = new();

    public override Encoding Encoding => inner.Encoding;

    /// <summary>The last error's text without "error: ", or null.</summary>
    public string? LastError { get; private set; }

    public override void Write(char value)
    {
        inner.Write(value);
        if (value != '\n') { _line.Append(value); return; }
        var line = _line.ToString().TrimEnd('\r');
        _line.Clear();
        if (line.StartsWith("error: ", StringComparison.Ordinal)) LastError = line["error: ".Length..];
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "") Write(c);
    }

    public override void WriteLine(string? value) => Write((value ?? "") + "\n");

    public override void Flush() => inner.Flush();
}
