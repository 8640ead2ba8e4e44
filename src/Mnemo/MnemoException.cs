namespace Mnemo;

/// <summary>An error caused by the user's input or environment. Its message says what went wrong and what to do;
/// the CLI prints it as one line instead of a stack trace.</summary>
public class MnemoException : Exception
{
    public MnemoException(string message) : base(message) { }
    public MnemoException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A data file that is missing, truncated or not in the expected format.</summary>
public sealed class DataFormatException : MnemoException
{
    public string FilePath { get; }

    public DataFormatException(string filePath, string problem)
        : base($"{filePath}: {problem}") => FilePath = filePath;

    public DataFormatException(string filePath, string problem, Exception inner)
        : base($"{filePath}: {problem}", inner) => FilePath = filePath;
}

/// <summary>A complete, intact checkpoint that this version of Mnemo cannot use (another checkpoint format). Unlike a
/// corrupt file it is never skipped in favour of an older checkpoint: the user must decide.</summary>
public sealed class IncompatibleCheckpointException : MnemoException
{
    public IncompatibleCheckpointException(string message) : base(message) { }
}
