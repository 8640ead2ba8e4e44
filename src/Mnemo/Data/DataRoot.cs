namespace Mnemo.Data;

/// <summary>Where fetched datasets live: --root, else $MNEMO_DATA, else ~/.mnemo/data.</summary>
public static class DataRoot
{
    public const string EnvironmentVariable = "MNEMO_DATA";

    public static string Resolve(string? explicitRoot)
    {
        if (!string.IsNullOrWhiteSpace(explicitRoot)) return Path.GetFullPath(explicitRoot);
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".mnemo", "data");
    }
}
