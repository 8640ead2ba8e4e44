namespace Mnemo.Bench;

/// <param name="Device">Where the MeRGAN group runs (--device, a <see cref="Mnemo.Training.ComputeDevice"/> request; default
/// cpu); the other groups run on the CPU.</param>
public sealed record BenchOptions(int Threads, int Warmup, int Repeats, HashSet<string> Only, bool PyTorch, int SoakIterations, int SideBySideSeconds,
    string Device = "cpu")
{
    public static readonly string[] Groups = { "mergan", "levers", "sampling", "selfcond", "memorygan", "eval", "soak", "sidebyside" };

    public bool Run(string name) => Only.Count == 0 || Only.Contains(name);

    public static BenchOptions Parse(string[] args)
    {
        int threads = Environment.ProcessorCount, warmup = 2, repeats = 5, soak = 2000, sideBySide = 20;
        bool pytorch = true;
        string device = "cpu";
        var only = new HashSet<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Positive() => int.TryParse(Value(), out int v) && v > 0 ? v : throw new ArgumentException($"{args[i - 1]} needs a positive whole number");
            switch (args[i])
            {
                case "--threads": threads = Positive(); break;
                case "--warmup": warmup = Positive(); break;
                case "--repeats": repeats = Positive(); break;
                case "--soak-iterations": soak = Positive(); break;
                case "--sidebyside-seconds": sideBySide = Positive(); break;
                case "--no-pytorch": pytorch = false; break;
                case "--device": device = Mnemo.Training.ComputeDevice.Normalize(Value()); break;
                case "--only":
                    foreach (var s in Value().Split(','))
                        only.Add(Groups.Contains(s) ? s : throw new ArgumentException($"unknown group '{s}'; groups: {string.Join(", ", Groups)}"));
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}; options: --threads N --warmup N --repeats N --only {string.Join(",", Groups)} --soak-iterations N --sidebyside-seconds N --no-pytorch --device auto|cpu|cuda|cuda:N (mergan group)");
            }
        }
        return new BenchOptions(threads, warmup, repeats, only, pytorch, soak, sideBySide, device);
    }
}
