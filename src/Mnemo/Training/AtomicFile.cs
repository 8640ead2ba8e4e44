namespace Mnemo.Training;

/// <summary>Writes a file so that readers see either the old content or the complete new one: temp file, flush to
/// disk, rename over the target. An environment failure (permissions, no such folder, disk full, file-size limit)
/// becomes a <see cref="FileAccessException"/> naming the target, which is left as it was.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, which gets the temp file's stream.
    /// Throws <see cref="FileAccessException"/> when the file system refuses (at any step, the delegate's writes
    /// included); other exceptions of the delegate pass through unchanged.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string? tmp = null;
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(dir);
            tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception e) when (FileAccessException.IsEnvironmentFailure(e))
        {
            throw new FileAccessException(path, writing: true, FileAccessException.Reason(e), e);
        }
        finally
        {
            // Cleanup only: the first error is the one reported.
            try { if (tmp is not null && File.Exists(tmp)) File.Delete(tmp); }
            catch (Exception e) when (FileAccessException.IsEnvironmentFailure(e)) { }
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(text); });
}
