namespace Mnemo.Training;

/// <summary>The checkpoints of one run: step-NNNNNNNNN.ckpt files, the newest few kept.</summary>
public sealed class CheckpointStore
{
    readonly string _dir;
    readonly int _keep;
    readonly Action<string> _warn;

    public CheckpointStore(string dir, int keep = 2, Action<string>? warn = null)
    {
        _dir = dir;
        _keep = Math.Max(1, keep);
        _warn = warn ?? (_ => { });
        Directory.CreateDirectory(dir);
        // A process killed while writing leaves its hidden temp file behind (never a half-written checkpoint); the
        // store is opened once per training process, before it writes, so any such file is stale.
        foreach (var stale in Directory.GetFiles(dir, ".step-*.ckpt.*.tmp")) File.Delete(stale);
    }

    public string PathFor(long step) => Path.Combine(_dir, $"step-{step:D9}.ckpt");

    public void Save(Checkpoint checkpoint)
    {
        checkpoint.Save(PathFor(checkpoint.Step));
        foreach (var old in List().SkipLast(_keep)) File.Delete(old);
    }

    IEnumerable<string> List() =>
        Directory.GetFiles(_dir, "step-*.ckpt").OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>The newest checkpoint that loads and matches; a corrupt one is skipped with a warning.</summary>
    public Checkpoint? LoadLatest(string kind, string fingerprint)
    {
        if (LoadNewest() is not { } newest) return null;
        var (checkpoint, path) = newest;
        if (checkpoint.Kind != kind)
            throw new MnemoException($"{path} is a '{checkpoint.Kind}' checkpoint, this run is '{kind}'.");
        if (checkpoint.Fingerprint != fingerprint)
            throw new MnemoException($"{path} was written with different settings (fingerprint {checkpoint.Fingerprint}, now {fingerprint}); resume with the run's own config.");
        return checkpoint;
    }

    /// <summary>The newest checkpoint that loads, of any kind, and its path; a corrupt one is skipped with a warning.</summary>
    public (Checkpoint Checkpoint, string Path)? LoadNewest()
    {
        foreach (var path in List().Reverse())
        {
            try { return (Checkpoint.Load(path), path); }
            catch (MnemoException e) when (e is not IncompatibleCheckpointException)
            {
                _warn($"skipping {Path.GetFileName(path)}: {e.Message}");
            }
        }
        return null;
    }
}
