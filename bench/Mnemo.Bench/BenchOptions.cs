namespace Mnemo.Bench;

public sealed record BenchOptions(int Threads, int Warmup, int Repeats, HashSet<string> Only)
{
    public bool Run(string name) => Only.Count == 0 || Only.Contains(name);

    public static BenchOptions Parse(string[] args)
    {
        int threads = Environment.ProcessorCount, warmup = 2, repeats = 5;
        var only = new HashSet<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threads = int.Parse(args[++i]); break;
                case "--warmup": warmup = int.Parse(args[++i]); break;
                case "--repeats": repeats = int.Parse(args[++i]); break;
                case "--only": foreach (var s in args[++i].Split(',')) only.Add(s); break;
                default: throw new ArgumentException($"unknown option {args[i]}; options: --threads N --warmup N --repeats N --only mergan,...");
            }
        }
        return new BenchOptions(threads, warmup, repeats, only);
    }
}
