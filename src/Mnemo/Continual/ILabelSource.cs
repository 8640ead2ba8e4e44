using Mnemo.Networks;
using Mnemo.Training;
using static TorchSharp.torch;

namespace Mnemo.Continual;

/// <summary>
/// Where a continual run's class labels come from, chosen once by method (<see cref="For"/>): every method but DGR
/// conditions the generator on the class and lets the critic's auxiliary classifier learn it
/// (<see cref="AcganLabels"/>); DGR has an unconditional generator whose samples a solver labels, and replays
/// them mixed into the real batch (<see cref="SolverLabels"/>); the label-free methods label real images with
/// clusters instead of classes (<see cref="LabelFree.IClusterLabels"/>: conditional, or DGR's solver). The shared
/// step, sampling and checkpoints go through these hooks and never ask which method runs.
/// </summary>
public interface ILabelSource : IDisposable
{
    /// <summary>The source for the run's method.</summary>
    /// <param name="classes">Classes of the dataset.</param>
    public static ILabelSource For(MerganOptions options, int classes, int channels, Device device) =>
        options.Method switch
        {
            ContinualMethod.Dgr => new SolverLabels(options, classes, channels, device),
            ContinualMethod.LfDgr => LabelFree.ClusterSolverLabels.For(options, classes, channels, device),
            _ when options.Method.IsLabelFree() => LabelFree.ClusterLabels.For(options, classes, channels, device),
            _ => new AcganLabels(classes),
        };

    /// <summary>Classes the generator and critic are built for (1: DGR's and label-free DGR's are unconditional).</summary>
    int NetworkClasses { get; }
    /// <summary>Builds the source's own networks (DGR's solver); called after the generator and critic exist, so that
    /// a seed initialises every network in the same order as in earlier versions.</summary>
    void Build();
    /// <summary>Starts task <paramref name="task"/>: fresh optimiser state and, from the second task, frozen copies.</summary>
    void BeginTask(int task);
    /// <summary>The real images of task <paramref name="task"/>, given when the task's training starts or resumes
    /// (the label-free methods cluster them; the others need nothing).</summary>
    void UseTaskData(int task, Data.ImageDataset data) { }
    /// <summary>Before iteration <paramref name="iteration"/> of the task in progress (the run's step
    /// <paramref name="step"/>): the label-free methods' clustering and re-clustering of the task's images on the
    /// critic's features; what it did, or null.</summary>
    SelfConditioned.ClusteringEvent? BeforeIteration(int iteration, long step, ConditionalCritic critic) => null;

    /// <summary>The critic's real batch of <paramref name="n"/> images and their labels.</summary>
    (Tensor Images, Tensor Labels) RealBatch(TaskBatches task, int n);
    /// <summary>The labels the critic's fake batch is generated with, given the real batch's.</summary>
    Tensor FakeLabels(Tensor realLabels);
    /// <summary>The labels of the generator step's <paramref name="n"/> samples.</summary>
    Tensor GeneratorLabels(TaskBatches task, int n);
    /// <summary>The critic's auxiliary classification loss on <paramref name="logits"/>, or null when the critic
    /// classifies nothing.</summary>
    Tensor? ClassLoss(Tensor logits, Tensor labels);
    /// <summary>Training after an iteration's critic steps (DGR: one solver step); its loss (a detached scalar on the
    /// run's device, in the caller's dispose scope), or null.</summary>
    Tensor? StepAfterCritic(TaskBatches task, int n);

    /// <summary>Up to <paramref name="count"/> images of class <paramref name="cls"/> from <paramref name="generator"/>
    /// (already in evaluation mode, without gradients).</summary>
    Tensor SampleClass(ConditionalGenerator generator, int cls, int count);
    /// <summary>The images of each class of <paramref name="group"/> (classes trained together), <paramref name="perClass"/>
    /// of each (fewer for DGR), generated as training composed its batches; batch norm on batch statistics makes the
    /// composition matter (docs/mergan.md, "Evaluation").</summary>
    IEnumerable<(int Class, Tensor Images)> SampleGroup(ConditionalGenerator generator, int[] group, int perClass);
    /// <summary>One row per class of the columns of <paramref name="fixedNoise"/> (see <see cref="GeneratorSampling.ClassRows"/>).</summary>
    Tensor ClassRows(ConditionalGenerator generator, IReadOnlyList<int> classes, Tensor fixedNoise);

    void Save(Checkpoint checkpoint);
    void Load(Checkpoint checkpoint);
}
