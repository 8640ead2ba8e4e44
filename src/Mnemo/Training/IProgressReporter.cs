namespace Mnemo.Training;

/// <summary>Where long work reports progress. The CLI shows a bar (terminal) or plain lines (CI logs).</summary>
public interface IProgressReporter
{
    /// <summary>Begins a phase of <paramref name="total"/> steps.</summary>
    void Start(string phase, long total);
    /// <summary>Reports that <paramref name="done"/> of the phase's steps are complete, with an optional status text.</summary>
    void Report(long done, string? status = null);
    void Message(string text);
}

public sealed class NullProgress : IProgressReporter
{
    public static readonly NullProgress Instance = new();
    public void Start(string phase, long total) { }
    public void Report(long done, string? status = null) { }
    public void Message(string text) { }
}
