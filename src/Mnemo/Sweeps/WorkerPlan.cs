namespace Mnemo.Sweeps;

/// <summary>How a local sweep shares the machine: <see cref="Workers"/> runs at once with
/// <see cref="ThreadsPerRun"/> libtorch threads each, never more threads in all than cores (two runs whose threads
/// share a core slow each other down far more than they gain).</summary>
public sealed record WorkerPlan(int Workers, int ThreadsPerRun)
{
    /// <summary>The plan for <paramref name="points"/> runs on <paramref name="cores"/> cores. Unset, runs get one
    /// core each (several small runs use a CPU better than one run with many threads) and the cores left over when
    /// there are fewer runs than cores.</summary>
    /// <exception cref="MnemoException">The requested workers × threads exceed the cores.</exception>
    public static WorkerPlan For(int cores, int points, int? workers, int? threads)
    {
        if (workers is < 1) throw new MnemoException("--workers must be at least 1");
        if (threads is < 1) throw new MnemoException("--threads must be at least 1");
        int pending = Math.Max(1, points);
        var plan = (workers, threads) switch
        {
            (null, null) => Split(Math.Min(pending, cores), cores),
            ({ } w, null) => Split(w, cores),
            (null, { } t) => new WorkerPlan(Math.Clamp(cores / t, 1, pending), t),
            ({ } w, { } t) => new WorkerPlan(w, t),
        };
        if (plan.Workers * plan.ThreadsPerRun > cores)
            throw new MnemoException($"{plan.Workers} workers × {plan.ThreadsPerRun} threads would oversubscribe this machine's {cores} cores; " +
                                     "lower --workers or --threads");
        return plan;
    }

    static WorkerPlan Split(int workers, int cores) => new(workers, Math.Max(1, cores / workers));
}
