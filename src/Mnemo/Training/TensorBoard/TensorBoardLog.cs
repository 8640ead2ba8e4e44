using System.Text.Json.Nodes;
using TorchSharp.Modules;
using static TorchSharp.torch.utils;

namespace Mnemo.Training.TensorBoard;

/// <summary>
/// A run's TensorBoard events, written with TorchSharp's own <c>SummaryWriter</c> into the run folder (so
/// <c>tensorboard --logdir runs</c> names each run by its folder): every metric record the run logs, images the
/// systems publish, and the settings as text. Each process that trains writes a new event file; on resume the
/// older files are first cut to the checkpoint's step (as metrics.jsonl is) and nothing at or before that step is
/// written again, so every (tag, step) appears once across the files.
/// </summary>
public sealed class TensorBoardLog
{
    static readonly AsyncLocal<bool> Off = new();

    readonly string _dir;
    readonly long _keptThrough;
    SummaryWriter? _writer;

    TensorBoardLog(string dir, long keptThrough)
    {
        _dir = dir;
        _keptThrough = keptThrough;
    }

    /// <summary>False inside <see cref="Suppress"/> (the CLI's --no-tensorboard).</summary>
    public static bool Enabled => !Off.Value;

    /// <summary>Turns TensorBoard events off for runs trained in this async flow until the scope is disposed. An
    /// output choice of one invocation, not a run setting: it does not change the settings' fingerprint, and a
    /// resume chooses anew.</summary>
    public static IDisposable Suppress()
    {
        bool before = Off.Value;
        Off.Value = true;
        return new Restore(() => Off.Value = before);
    }

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    /// <summary>Opens the log of <paramref name="run"/> (null when <see cref="Enabled"/> is false).</summary>
    /// <param name="keptThrough">The step a resume starts after (events after it are cut from older files and
    /// only later steps are written); -1 for a run that starts from the beginning.</param>
    public static TensorBoardLog? Open(RunFolder run, long keptThrough)
    {
        if (!Enabled) return null;
        EventFile.TruncateAfter(run.Root, keptThrough);
        return new TensorBoardLog(run.Root, keptThrough);
    }

    // Created at the first event, so that re-reporting a finished run leaves no empty event file.
    SummaryWriter Writer => _writer ??= tensorboard.SummaryWriter(_dir);

    bool Fresh(long step) => step > _keptThrough;

    /// <summary>The record's scalars (and histograms) at its step; see <see cref="MetricScalars.Of"/>.</summary>
    public void Record<T>(T record) where T : IMetricRecord
    {
        if (!Fresh(record.Step)) return;
        var m = MetricScalars.Of(record);
        int step = checked((int)record.Step);
        foreach (var (tag, value) in m.Scalars) Writer.add_scalar(tag, (float)value, step);
        foreach (var (tag, values) in m.Histograms)
        {
            using var t = TorchSharp.torch.tensor(values);
            Writer.add_histogram(tag, t, step);
        }
    }

    /// <summary>A PNG (or JPEG) file as an image at <paramref name="step"/>; the same tag at later steps gives
    /// TensorBoard's step slider.</summary>
    public void Image(string tag, string path, long step)
    {
        if (Fresh(step)) Writer.add_img(tag, path, checked((int)step));
    }

    /// <summary>Text (rendered as Markdown by TensorBoard) under "&lt;tag&gt;/text_summary".</summary>
    public void Text(string tag, string markdown, long step)
    {
        if (Fresh(step)) Writer.add_text(tag, markdown, checked((int)step));
    }

    /// <summary>The run's settings as an indented JSON code block.</summary>
    public static string SettingsMarkdown(JsonObject settings) =>
        string.Join("\n", settings.ToJsonString(RunFolder.Json).Split('\n').Select(l => "    " + l));
}
