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

/// <summary>A file that could not be read or written because of the environment: permissions, a missing folder, a
/// full disk or a file-size limit. The CLI prints "could not write PATH: REASON" (or read) and exits 1.</summary>
public sealed class FileAccessException : MnemoException
{
    public string FilePath { get; }

    public FileAccessException(string filePath, bool writing, string reason, Exception inner)
        : base($"could not {(writing ? "write" : "read")} {filePath}: {reason}", inner) => FilePath = filePath;

    /// <summary>True for the exceptions .NET raises for environment failures of file operations: IOException,
    /// UnauthorizedAccessException, and the ArgumentOutOfRangeException it maps EFBIG (file-size limit) to.</summary>
    public static bool IsEnvironmentFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException || IsFileTooLarge(e);

    /// <summary>EFBIG: .NET turns it into an ArgumentOutOfRangeException for parameter "value" ("Specified file length
    /// was too large for the file system") thrown by its own file I/O code (System.IO.RandomAccess, FileStream),
    /// which is how it is told apart from an argument error in Mnemo's code.</summary>
    public static bool IsFileTooLarge(Exception e) =>
        e is ArgumentOutOfRangeException { ParamName: "value" } && e.TargetSite?.DeclaringType?.Namespace == "System.IO";

    /// <summary>The reason to print: the OS's words, with the EFBIG case spelled out.</summary>
    public static string Reason(Exception e) =>
        IsFileTooLarge(e) ? "file too large (disk full or file-size limit reached, e.g. ulimit -f)" : e.Message;
}
