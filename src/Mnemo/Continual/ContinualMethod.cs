namespace Mnemo.Continual;

/// <summary>The six ways of learning a sequence of class tasks compared in the MeRGAN paper, and Mnemo's label-free
/// methods (issue 14): the same training with self-conditioned clusters of critic features instead of class labels,
/// conditioning the generator (lf-sft, lf-ra, lf-jtr) or labelling DGR's solver (lf-dgr) (docs/labelfree.md).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(IdEnumConverter<ContinualMethod>))]
public enum ContinualMethod
{
    /// <summary>Joint training: task t trains on the real data of every class seen so far (the upper bound).</summary>
    Jt,
    /// <summary>Sequential fine-tuning: task t trains on its own classes, starting from the previous weights.</summary>
    Sft,
    /// <summary>SFT plus elastic weight consolidation on the generator.</summary>
    Ewc,
    /// <summary>Deep generative replay: an unconditional generator replaying its own earlier samples, and a solver
    /// (classifier) that labels them.</summary>
    Dgr,
    /// <summary>MeRGAN joint training with replay from a frozen copy of the previous generator.</summary>
    Jtr,
    /// <summary>MeRGAN replay alignment: pixel L2 between the current and the frozen previous generator.</summary>
    Ra,
    /// <summary>Label-free sequential fine-tuning: each task's images get new clusters (k-means on critic features,
    /// Hungarian-matched across re-clusterings); no replay.</summary>
    LfSft,
    /// <summary>Label-free replay alignment: <see cref="LfSft"/> plus MeRGAN's replay alignment on the earlier tasks'
    /// clusters, and the critic's cluster classifier trained on the frozen generator's replay of them.</summary>
    LfRa,
    /// <summary>Label-free joint training with replay: <see cref="LfSft"/> plus MeRGAN-JTR's replay of the earlier
    /// tasks' clusters as real data.</summary>
    LfJtr,
    /// <summary>Label-free deep generative replay: <see cref="Dgr"/> with cluster ids for classes. An unconditional
    /// generator replays its earlier samples mixed into the real batch; the solver learns the task's clusters on real
    /// images and the frozen previous solver's clusters on the replay, and is the model's cluster assignment.</summary>
    LfDgr,
}

public static class ContinualMethods
{
    public static readonly ContinualMethod[] All = Enum.GetValues<ContinualMethod>();


    public static string DisplayName(this ContinualMethod m) => m switch
    {
        ContinualMethod.Jt => "Joint training",
        ContinualMethod.Sft => "Sequential fine-tuning",
        ContinualMethod.Ewc => "EWC",
        ContinualMethod.Dgr => "DGR",
        ContinualMethod.Jtr => "MeRGAN-JTR",
        ContinualMethod.Ra => "MeRGAN-RA",
        ContinualMethod.LfSft => "Label-free SFT",
        ContinualMethod.LfRa => "Label-free RA",
        ContinualMethod.LfJtr => "Label-free JTR",
        ContinualMethod.LfDgr => "Label-free DGR",
        _ => m.ToString(),
    };

    public static ContinualMethod Parse(string text) => EnumIds.Parse<ContinualMethod>(text);

    /// <summary>Whether the method keeps a frozen copy of the previous generator.</summary>
    public static bool UsesReplayGenerator(this ContinualMethod m) =>
        m is ContinualMethod.Jtr or ContinualMethod.Ra or ContinualMethod.Dgr or ContinualMethod.LfRa or ContinualMethod.LfJtr or ContinualMethod.LfDgr;

    /// <summary>Whether the method never reads a class label: clusters of the task's images take the classes' place
    /// (the generator's conditions, or label-free DGR's solver targets).</summary>
    public static bool IsLabelFree(this ContinualMethod m) =>
        m is ContinualMethod.LfSft or ContinualMethod.LfRa or ContinualMethod.LfJtr or ContinualMethod.LfDgr;

    /// <summary>The label-free methods' ids for messages ("lf-sft, lf-ra, lf-jtr, lf-dgr").</summary>
    public static string LabelFreeIds => string.Join(", ", All.Where(IsLabelFree).Select(m => m.Id()));

    /// <summary>Whether the generator step adds replay alignment (MeRGAN-RA, label-free RA).</summary>
    public static bool AlignsReplay(this ContinualMethod m) => m is ContinualMethod.Ra or ContinualMethod.LfRa;

    /// <summary>Whether replayed samples count as real data in extra critic and generator terms (MeRGAN-JTR, label-free JTR).</summary>
    public static bool TrainsOnReplay(this ContinualMethod m) => m is ContinualMethod.Jtr or ContinualMethod.LfJtr;

    /// <summary>Whether the critic's classifier is trained on the frozen generator's replay of earlier classes alone
    /// (label-free RA: the critic's classifier is the model's cluster assignment of real images).</summary>
    public static bool ClassifiesReplay(this ContinualMethod m) => m is ContinualMethod.LfRa;
}
