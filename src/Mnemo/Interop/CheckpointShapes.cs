using Mnemo.Training;

namespace Mnemo.Interop;

/// <summary>Shapes of a checkpoint's stored parameters, so a network can be rebuilt to fit its weights (e.g. image
/// channels or class count) without the dataset it was trained on.</summary>
public static class CheckpointShapes
{
    /// <summary>The shape of <paramref name="parameter"/> (a state-dict name such as "body.out.weight") in the module section
    /// <paramref name="module"/>.</summary>
    /// <exception cref="MnemoException">No such module section or parameter.</exception>
    public static long[] Of(Checkpoint checkpoint, string module, string parameter)
    {
        if (!checkpoint.Has($"module:{module}")) throw new MnemoException($"the checkpoint has no '{module}' network");
        var state = TorchSharpStateDict.Read(checkpoint.Sections[$"module:{module}"], module);
        try
        {
            return state.TryGetValue(parameter, out var t) ? t.shape
                : throw new MnemoException($"the checkpoint's '{module}' has no parameter '{parameter}'; it was written by a different model or version.");
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }
}
