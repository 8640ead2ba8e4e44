using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mnemo.Training;

/// <summary>The typed settings of one run of a system (stored as config.json's "settings").</summary>
public interface IRunSettings<TSelf> where TSelf : IRunSettings<TSelf>
{
    string Dataset { get; }
    int Seed { get; }
    /// <summary>libtorch threads; not a result-changing setting when runs are compared.</summary>
    int? Threads { get; }
    /// <summary>The stored name of the setting that selects the method (e.g. "Method"): the one setting a comparison's
    /// runs differ in by design.</summary>
    static abstract string MethodKey { get; }
    /// <exception cref="MnemoException">A value is out of range; the message names the option.</exception>
    void Validate();
}

/// <summary>JSON form, fingerprint and comparison of <see cref="IRunSettings{TSelf}"/>.</summary>
public static class RunSettings
{
    public static JsonObject ToJson<T>(T settings) where T : IRunSettings<T> => JsonSerializer.SerializeToNode(settings)!.AsObject();

    /// <exception cref="MnemoException">The JSON is not settings of this system.</exception>
    public static T FromJson<T>(JsonObject json, string system) where T : IRunSettings<T>
    {
        try
        {
            return json.Deserialize<T>() ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new MnemoException($"config.json has no readable {system} settings ({e.Message}).");
        }
    }

    /// <summary>The settings fingerprint a checkpoint carries: the hash of exactly the stored JSON.</summary>
    public static string Fingerprint<T>(T settings) where T : IRunSettings<T> => Checkpoint.FingerprintOf(ToJson(settings));

    /// <summary>The settings that differ between a stored run and a requested one ("IterationsPerTask 2, requested
    /// 3"), threads excepted; empty when they are the same run.</summary>
    public static IReadOnlyList<string> Differences<T>(T stored, T requested) where T : IRunSettings<T>
    {
        var a = ToJson(stored);
        var b = ToJson(requested);
        return a.Select(kv => kv.Key).Union(b.Select(kv => kv.Key)).Where(k => k != nameof(IRunSettings<T>.Threads))
            .Where(k => !JsonNode.DeepEquals(a[k], b[k]))
            .Select(k => $"{k} {a[k]?.ToJsonString() ?? "unset"}, requested {b[k]?.ToJsonString() ?? "unset"}").ToList();
    }
}
