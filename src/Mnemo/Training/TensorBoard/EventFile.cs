using System.Buffers.Binary;
using Tensorboard;

namespace Mnemo.Training.TensorBoard;

/// <summary>
/// TensorBoard event files as TFRecord streams: each record is its length (uint64, little-endian), the masked
/// CRC-32C of those 8 bytes, the serialized <see cref="Event"/> protobuf, and the masked CRC-32C of the data.
/// </summary>
public static class EventFile
{
    /// <summary>The name prefix of every event file (TensorBoard finds files by it).</summary>
    public const string Prefix = "events.out.tfevents.";

    /// <summary>The event files directly in <paramref name="dir"/>, oldest first (their names start with a time).</summary>
    public static string[] In(string dir) => Directory.Exists(dir)
        ? Directory.GetFiles(dir, Prefix + "*").OrderBy(f => f, StringComparer.Ordinal).ToArray()
        : [];

    /// <summary>Reads the records of <paramref name="path"/> up to the first incomplete or corrupt one (a killed
    /// writer leaves at most a torn last record).</summary>
    /// <returns>The events read and whether the whole file was valid.</returns>
    public static (List<Event> Events, bool Complete) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var events = new List<Event>();
        int at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 12) return (events, false);
            var header = bytes.AsSpan(at, 8);
            if (Crc32C.Masked(header) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4))) return (events, false);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (length > (ulong)(bytes.Length - at - 16)) return (events, false);
            var data = bytes.AsSpan(at + 12, (int)length);
            if (Crc32C.Masked(data) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length, 4))) return (events, false);
            events.Add(Event.Parser.ParseFrom(data.ToArray())); // this generated code parses arrays, not spans
            at += 16 + (int)length;
        }
        return (events, true);
    }

    /// <summary>One framed record of <paramref name="e"/>.</summary>
    public static byte[] Frame(Event e)
    {
        var data = Google.Protobuf.MessageExtensions.ToByteArray(e);
        var record = new byte[16 + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(8), Crc32C.Masked(record.AsSpan(0, 8)));
        data.CopyTo(record, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(12 + data.Length), Crc32C.Masked(data));
        return record;
    }

    /// <summary>Cuts the event files in <paramref name="dir"/> to the summaries of steps up to
    /// <paramref name="step"/> (what a resume keeps, as metrics.jsonl is cut), dropping a torn last record; a file
    /// left without summaries is removed.</summary>
    public static void TruncateAfter(string dir, long step)
    {
        foreach (var path in In(dir))
        {
            var (events, complete) = Read(path);
            var kept = events.Where(e => e.Summary is null || e.Step <= step).ToList();
            if (complete && kept.Count == events.Count) continue;
            if (kept.All(e => e.Summary is null)) File.Delete(path);
            else AtomicFile.Write(path, s => { foreach (var e in kept) s.Write(Frame(e)); });
        }
    }
}
