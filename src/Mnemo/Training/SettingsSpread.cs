using System.Text.Json.Nodes;

namespace Mnemo.Training;

/// <summary>
/// How the settings of runs put side by side differ besides their method (the point of a comparison) and threads
/// (which change no result): what a comparison's header says, and what labels each row when they differ. A
/// comparison of runs with other budgets or seeds is written, but never under a "same settings" header.
/// </summary>
public sealed class SettingsSpread
{
    readonly IReadOnlyList<JsonObject> _settings;

    SettingsSpread(IReadOnlyList<JsonObject> settings, IReadOnlyList<string> keys)
    {
        _settings = settings;
        Keys = keys;
    }

    /// <summary>The settings (config.json names) whose values differ between the runs, in stored order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Whether the runs share every setting but their method.</summary>
    public bool Uniform => Keys.Count == 0;

    public static SettingsSpread Of<T>(IEnumerable<T> runs) where T : IRunSettings<T>
    {
        var json = runs.Select(RunSettings.ToJson).ToList();
        var keys = json.SelectMany(j => j.Select(kv => kv.Key)).Distinct()
            .Where(k => k != nameof(IRunSettings<T>.Threads) && k != T.MethodKey)
            .Where(k => json.Any(j => !JsonNode.DeepEquals(j[k], json[0][k]))).ToList();
        return new SettingsSpread(json, keys);
    }

    /// <summary>Run <paramref name="run"/>'s values of the differing settings ("--iterations-per-task 2, --seed 0",
    /// named as <see cref="SettingNames.ForUser"/>); empty when the runs share them.</summary>
    public string Label(int run) => string.Join(", ", Keys.Select(k => $"{SettingNames.ForUser(k)} {Text(_settings[run][k])}"));

    /// <summary>A row's name: <paramref name="name"/>, followed by its <see cref="Label"/> when the runs differ.</summary>
    public string Name(string name, int run) => Uniform ? name : $"{name} ({Label(run)})";

    /// <summary>The header of a comparison whose runs differ in more than their method.</summary>
    public string Warning =>
        $"These runs do not share their settings: besides the method they differ in {string.Join(", ", Keys.Select(SettingNames.ForUser))}. Each row names " +
        "its own values; read the numbers with that in mind.";

    static string Text(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "unset";
}

/// <summary>A run read back for a comparison: its folder, settings and final result.</summary>
public sealed record ComparedRun<TSettings, TResult>(string Dir, TSettings Settings, TResult Result);
