using System.Buffers.Binary;
using Mnemo.Training.TensorBoard;
using Tensorboard;

namespace Mnemo.Tests.Training.TensorBoard;

/// <summary>What a run folder's TensorBoard event files hold, read the way TensorBoard reads them: every record's
/// framing and both CRCs are checked (a test fails on any bad record, torn ones included).</summary>
public sealed record EventLog(IReadOnlyList<string> Files, IReadOnlyList<(string Tag, long Step, Summary.Types.Value Value)> Values)
{
    public static EventLog Read(string dir)
    {
        var files = EventFile.In(dir);
        var values = new List<(string, long, Summary.Types.Value)>();
        foreach (var file in files)
        {
            var events = Records(File.ReadAllBytes(file)).Select(Event.Parser.ParseFrom).ToList();
            Assert.Equal("brain.Event:2", events[0].FileVersion);
            foreach (var e in events.Where(e => e.Summary is not null))
                foreach (var v in e.Summary.Value) values.Add((v.Tag, e.Step, v));
        }
        return new(files, values);
    }

    static IEnumerable<byte[]> Records(byte[] bytes)
    {
        int at = 0;
        while (at < bytes.Length)
        {
            Assert.True(bytes.Length - at >= 16, $"a record's framing is cut at byte {at}");
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
            Assert.Equal(Crc32C.Masked(bytes.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)));
            var data = bytes.AsSpan(at + 12, length).ToArray();
            Assert.Equal(Crc32C.Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + length)));
            yield return data;
            at += 16 + length;
        }
    }

    /// <summary>The steps at which <paramref name="tag"/> was written, in file order.</summary>
    public long[] Steps(string tag) => Values.Where(v => v.Tag == tag).Select(v => v.Step).ToArray();

    /// <summary>Tags written with a PNG image.</summary>
    public IEnumerable<(string Tag, long Step)> Images => Values.Where(v => v.Value.Image is { } i && IsPng(i.EncodedImageString.Span)).Select(v => (v.Tag, v.Step));

    static bool IsPng(ReadOnlySpan<byte> b) => b.Length > 8 && b[0] == 0x89 && b[1] == (byte)'P' && b[2] == (byte)'N' && b[3] == (byte)'G';

    /// <summary>Asserts that no (tag, step) was written twice, across all files.</summary>
    public void AssertNoStepTwice()
    {
        var twice = Values.GroupBy(v => (v.Tag, v.Step)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Tag}@{g.Key.Step}").ToList();
        Assert.True(twice.Count == 0, "written twice: " + string.Join(", ", twice));
    }
}
