namespace Mnemo.Data;

/// <summary>
/// A class-incremental sequence of tasks, each a set of classes. Spec syntax: tasks separated by commas,
/// classes of one task joined by '+', ranges with '-' expand to one task per class: "0-9", "0,1,2", "0+1,2+3".
/// </summary>
public sealed class TaskSequence
{
    public IReadOnlyList<int[]> Tasks { get; }

    public TaskSequence(IReadOnlyList<int[]> tasks)
    {
        if (tasks.Count == 0) throw new MnemoException("a task sequence needs at least one task");
        var seen = new HashSet<int>();
        foreach (var task in tasks)
        {
            if (task.Length == 0) throw new MnemoException("every task needs at least one class");
            foreach (var c in task)
                if (!seen.Add(c)) throw new MnemoException($"class {c} appears in more than one task");
        }
        Tasks = tasks;
    }

    public int Count => Tasks.Count;

    /// <summary>All classes of tasks 0..t (inclusive), in task order.</summary>
    public int[] ClassesUpTo(int t) => Tasks.Take(t + 1).SelectMany(x => x).ToArray();

    public int[] AllClasses => ClassesUpTo(Count - 1);

    public static TaskSequence OneClassPerTask(int classes) =>
        new(Enumerable.Range(0, classes).Select(c => new[] { c }).ToArray());

    public static TaskSequence Parse(string spec, int classCount)
    {
        var tasks = new List<int[]>();
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-', StringSplitOptions.TrimEntries);
            if (range.Length == 2 && !part.Contains('+'))
            {
                int from = ParseClass(range[0], classCount, spec), to = ParseClass(range[1], classCount, spec);
                if (to < from) throw new MnemoException($"task spec '{spec}': range {part} runs backwards");
                for (int c = from; c <= to; c++) tasks.Add(new[] { c });
            }
            else
            {
                tasks.Add(part.Split('+', StringSplitOptions.TrimEntries).Select(s => ParseClass(s, classCount, spec)).ToArray());
            }
        }
        return new TaskSequence(tasks);
    }

    static int ParseClass(string text, int classCount, string spec)
    {
        if (!int.TryParse(text, out int c))
            throw new MnemoException($"task spec '{spec}': '{text}' is not a class number (use e.g. \"0-9\" or \"0+1,2+3\")");
        if (c < 0 || c >= classCount)
            throw new MnemoException($"task spec '{spec}': class {c} is outside 0..{classCount - 1}");
        return c;
    }

    public override string ToString() => string.Join(",", Tasks.Select(t => string.Join("+", t)));
}
