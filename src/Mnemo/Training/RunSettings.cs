using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mnemo.Training;

/// <summary>The typed settings of one run of a system (stored as config.json's "settings"; see
/// <see cref="TrainingSettings{TSelf}"/> for the fields every system shares).</summary>
public interface IRunSettings<TSelf> where TSelf : IRunSettings<TSelf>
{
    /// <summary>The system's name in messages, e.g. "MeRGAN".</summary>
    static abstract string SystemName { get; }
    /// <summary>Every stored field in the order config.json has held them since the first format: the fingerprint
    /// hashes that text, so a field's place is fixed by this list, not by where it is declared. A field missing from
    /// it is refused when the settings are written.</summary>
    static abstract IReadOnlyList<string> StoredOrder { get; }
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
    /// <summary>The settings' JSON, fields in <see cref="IRunSettings{TSelf}.StoredOrder"/> (unset optional ones left out).</summary>
    /// <exception cref="InvalidOperationException">A stored field is missing from the order (a programming error).</exception>
    public static JsonObject ToJson<T>(T settings) where T : IRunSettings<T>
    {
        var fields = JsonSerializer.SerializeToNode(settings)!.AsObject();
        var ordered = new JsonObject();
        foreach (var key in T.StoredOrder)
        {
            if (!fields.TryGetPropertyValue(key, out var value)) continue;
            fields.Remove(key);
            ordered[key] = value;
        }
        return fields.Count == 0 ? ordered
            : throw new InvalidOperationException($"{typeof(T).Name}.StoredOrder does not place {string.Join(", ", fields.Select(kv => kv.Key))}");
    }

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

    /// <summary>The settings that differ between a stored run and a requested one ("--iterations-per-task 2,
    /// requested 3"; named as <see cref="SettingNames.ForUser"/>), threads excepted; empty when they are the same run.</summary>
    public static IReadOnlyList<string> Differences<T>(T stored, T requested) where T : IRunSettings<T>
    {
        var a = ToJson(stored);
        var b = ToJson(requested);
        return a.Select(kv => kv.Key).Union(b.Select(kv => kv.Key)).Where(k => k != nameof(IRunSettings<T>.Threads))
            .Where(k => !JsonNode.DeepEquals(a[k], b[k]))
            .Select(k => $"{SettingNames.ForUser(k)} {a[k]?.ToJsonString() ?? "unset"}, requested {b[k]?.ToJsonString() ?? "unset"}").ToList();
    }
}
