using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mnemo;

/// <summary>Method selectors and other enums as the short ids users type and config.json stores: the member name
/// in kebab case (Ra → "ra", NoMemory → "no-memory").</summary>
public static class EnumIds
{
    public static string Id<T>(this T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <exception cref="MnemoException">The text is none of the ids; the message lists them.</exception>
    public static T Parse<T>(string text, string what = "method") where T : struct, Enum
    {
        var id = text.Trim().ToLowerInvariant();
        foreach (var value in Enum.GetValues<T>())
            if (value.Id() == id) return value;
        throw new MnemoException($"unknown {what} '{text}'; choose one of: {string.Join(", ", Enum.GetValues<T>().Select(v => v.Id()))}");
    }

    /// <summary>A comma-separated list of ids, duplicates dropped, order kept.</summary>
    public static IReadOnlyList<T> ParseList<T>(string text, string what = "method") where T : struct, Enum
    {
        var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => Parse<T>(t, what)).Distinct().ToList();
        return list.Count > 0 ? list : throw new MnemoException($"the {what} list is empty");
    }
}

/// <summary>Serialises an enum as its <see cref="EnumIds.Id{T}"/> (integers refused).</summary>
public sealed class IdEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    where T : struct, Enum;
