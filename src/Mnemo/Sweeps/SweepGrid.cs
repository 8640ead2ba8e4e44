using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Mnemo.Sweeps;

/// <summary>An option every point of a grid gets, e.g. profile = quick.</summary>
public sealed record GridOption(string Name, GridValue Value);

/// <summary>An option the grid crosses, e.g. method = [ra, sft]; its values in the order written.</summary>
public sealed record GridAxis(string Name, IReadOnlyList<GridValue> Values);

/// <summary>
/// An experiment grid: a system, the options every run gets, and the axes whose values are crossed. Options are the
/// system command's own options without the dashes ("iterations-per-task": 3 is `--iterations-per-task 3`), so a
/// grid says what one would type. The file format (JSON):
/// <code>
/// { "system": "continual",
///   "options": { "dataset": "mnist", "profile": "quick" },
///   "axes": { "method": ["ra", "sft"], "tasks": ["0-9", "0+1,2+3,4+5,6+7,8+9"], "seed": [1, 2, 3] } }
/// </code>
/// The axis named <c>seed</c> is what reports average over; the axis named <c>method</c> gives the table's rows.
/// </summary>
[JsonConverter(typeof(SweepGridJsonConverter))]
public sealed partial record SweepGrid(SweepSystem System, IReadOnlyList<GridOption> Options, IReadOnlyList<GridAxis> Axes)
{
    /// <summary>The axis reports take the mean and standard deviation over.</summary>
    public const string SeedAxis = "seed";
    /// <summary>The axis whose values are the rows of the report's tables (as the papers list methods).</summary>
    public const string MethodAxis = "method";

    /// <summary>Options the sweep sets itself for every run: a grid may not set them.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string> { "out", "resume", "threads", "root", "compare", "help" };

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex OptionName();

    /// <summary>Reads a grid file's text.</summary>
    /// <param name="source">The file, named in error messages.</param>
    /// <exception cref="MnemoException">Not valid JSON, or not a grid; the message names the field.</exception>
    public static SweepGrid Parse(string json, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                   as JsonObject ?? throw new MnemoException($"{source}: a grid is a JSON object with \"system\", \"options\" and \"axes\"");
        }
        catch (JsonException e)
        {
            throw new MnemoException($"{source} is not valid JSON ({e.Message})");
        }
        return FromJson(root, source);
    }

    /// <exception cref="MnemoException">Not a grid; the message names the field.</exception>
    public static SweepGrid FromJson(JsonObject root, string source)
    {
        foreach (var (key, _) in root)
            if (key is not ("system" or "options" or "axes"))
                throw new MnemoException($"{source}: unknown field \"{key}\" (a grid has \"system\", \"options\" and \"axes\")");
        if (root["system"] is not JsonValue systemNode || systemNode.GetValueKind() != JsonValueKind.String)
            throw new MnemoException($"{source}: \"system\" must name the system: {string.Join(", ", Enum.GetValues<SweepSystem>().Select(s => s.Id()))}");
        var system = EnumIds.Parse<SweepSystem>((string)systemNode!, "system");

        var options = Members(root, "options", source).Select(m => new GridOption(m.Key, GridValue.FromJson(m.Value, $"{source}: options.{m.Key}"))).ToList();
        var axes = new List<GridAxis>();
        foreach (var (name, node) in Members(root, "axes", source))
        {
            if (node is not JsonArray values || values.Count == 0)
                throw new MnemoException($"{source}: axes.{name} must be a non-empty list of values");
            var list = values.Select((v, i) => GridValue.FromJson(v, $"{source}: axes.{name}[{i}]")).ToList();
            if (list.GroupBy(v => v.Text).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new MnemoException($"{source}: axes.{name} lists {twice.Key} twice");
            if (options.Any(o => o.Name == name))
                throw new MnemoException($"{source}: {name} is both an option and an axis");
            axes.Add(new GridAxis(name, list));
        }
        return new SweepGrid(system, options, axes);
    }

    static IEnumerable<KeyValuePair<string, JsonNode?>> Members(JsonObject root, string field, string source)
    {
        if (root[field] is null) return [];
        if (root[field] is not JsonObject obj) throw new MnemoException($"{source}: \"{field}\" must be an object of option names and values");
        foreach (var (name, _) in obj)
        {
            if (!OptionName().IsMatch(name))
                throw new MnemoException($"{source}: {field}.{name}: an option is written as the command's option without dashes, e.g. \"iterations-per-task\"");
            if (Reserved.Contains(name))
                throw new MnemoException($"{source}: {field}.{name}: the sweep sets --{name} itself (use `mnemo sweep` options for threads and the data folder)");
        }
        return obj;
    }

    /// <summary>The grid as its file format writes it.</summary>
    public JsonObject ToJson() => new()
    {
        ["system"] = System.Id(),
        ["options"] = new JsonObject(Options.Select(o => KeyValuePair.Create(o.Name, (JsonNode?)o.Value.ToJson()))),
        ["axes"] = new JsonObject(Axes.Select(a => KeyValuePair.Create(a.Name, (JsonNode?)new JsonArray(a.Values.Select(v => (JsonNode?)v.ToJson()).ToArray())))),
    };

    /// <summary>Whether two grids describe the same runs (same options, axes and value order).</summary>
    public bool SameAs(SweepGrid other) => JsonNode.DeepEquals(ToJson(), other.ToJson());

    /// <summary>Every point of the grid: the first axis varies slowest, as nested loops in the order written. A
    /// point's index is its place in this list, and its name is made of its axis values.</summary>
    /// <exception cref="MnemoException">Two points would get the same folder name.</exception>
    public IReadOnlyList<GridPoint> Expand()
    {
        IEnumerable<IReadOnlyList<AxisValue>> combos = [[]];
        foreach (var axis in Axes)
            combos = combos.SelectMany(c => axis.Values.Select(v => (IReadOnlyList<AxisValue>)[.. c, new AxisValue(axis.Name, v)]));
        var points = combos.Select((c, i) => new GridPoint(i, GridPoint.NameOf(c), c)).ToList();
        if (points.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new MnemoException($"the grid has points that would share the folder name {clash.Key}: " +
                                     $"{string.Join(" and ", clash.Select(p => string.Join(", ", p.Coordinates.Select(c => $"{c.Axis} {c.Value}"))))}");
        return points;
    }

    /// <summary>The system command's arguments for one point, fixed options first, then the point's axis values.</summary>
    public IReadOnlyList<string> Arguments(GridPoint point) =>
    [
        System.Id(),
        .. Options.SelectMany(o => o.Value.Arguments(o.Name)),
        .. point.Coordinates.SelectMany(c => c.Value.Arguments(c.Axis)),
    ];
}

/// <summary>Reads and writes a <see cref="SweepGrid"/> in its file format.</summary>
public sealed class SweepGridJsonConverter : JsonConverter<SweepGrid>
{
    public override SweepGrid Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SweepGrid.FromJson(JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("a grid is a JSON object"), "sweep.json");

    public override void Write(Utf8JsonWriter writer, SweepGrid value, JsonSerializerOptions options) => value.ToJson().WriteTo(writer, options);
}
