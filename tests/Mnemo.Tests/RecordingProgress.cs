using Mnemo.Training;

namespace Mnemo.Tests;

/// <summary>A progress reporter that keeps what it is told: the last phase's total, every count reported, every message.</summary>
public sealed class RecordingProgress : IProgressReporter
{
    public long Total { get; private set; }
    public List<long> Done { get; } = new();
    public List<string> Lines { get; } = new();

    public void Start(string phase, long total) => Total = total;
    public void Report(long done, string? status = null) => Done.Add(done);
    public void Message(string text) => Lines.Add(text);
}
