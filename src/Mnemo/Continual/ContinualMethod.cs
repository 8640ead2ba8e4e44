namespace Mnemo.Continual;

/// <summary>The six ways of learning a sequence of class tasks compared in the MeRGAN paper.</summary>
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
        _ => m.ToString(),
    };

    public static ContinualMethod Parse(string text) => EnumIds.Parse<ContinualMethod>(text);

    /// <summary>Whether the method keeps a frozen copy of the previous generator.</summary>
    public static bool UsesReplayGenerator(this ContinualMethod m) => m is ContinualMethod.Jtr or ContinualMethod.Ra or ContinualMethod.Dgr;
}
