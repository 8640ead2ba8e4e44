using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mnemo.Sweeps;

/// <summary>How a grid value was written: it decides how the value becomes command-line arguments.</summary>
public enum GridValueKind { Text, Number, Switch }

/// <summary>One value of an option in a grid: a text ("0-9"), a number (3, 1e-4) or a switch (true: the flag is
/// given, false: left out).</summary>
public sealed record GridValue(string Text, GridValueKind Kind)
{
    /// <summary>The option's arguments: ["--name", text], ["--name"] for a true switch, none for a false one.</summary>
    public IEnumerable<string> Arguments(string option) => Kind switch
    {
        GridValueKind.Switch => Text == "true" ? [$"--{option}"] : [],
        _ => [$"--{option}", Text],
    };

    /// <summary>The value as the grid file writes it.</summary>
    public JsonNode ToJson() => Kind switch
    {
        GridValueKind.Switch => JsonValue.Create(Text == "true"),
        GridValueKind.Number => JsonNode.Parse(Text)!,
        _ => JsonValue.Create(Text),
    };

    /// <exception cref="MnemoException">Not a string, number or boolean; <paramref name="where"/> names it.</exception>
    public static GridValue FromJson(JsonNode? node, string where) => node?.GetValueKind() switch
    {
        JsonValueKind.String => new((string)node!, GridValueKind.Text),
        // The number's own text (3, 1e-4): what the user wrote is what the command gets and the folder is named.
        JsonValueKind.Number => new(node!.ToJsonString(), GridValueKind.Number),
        JsonValueKind.True => new("true", GridValueKind.Switch),
        JsonValueKind.False => new("false", GridValueKind.Switch),
        _ => throw new MnemoException($"{where} must be a string, a number or true/false, not {node?.ToJsonString() ?? "null"}"),
    };

    public override string ToString() => Text;

    /// <summary>The value as a number, when it is one (seeds, learning rates).</summary>
    public double? Number => Kind == GridValueKind.Number && double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
