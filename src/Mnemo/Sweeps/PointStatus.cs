using System.Text.Json.Serialization;

namespace Mnemo.Sweeps;

/// <summary>Where a grid point stands.</summary>
[JsonConverter(typeof(IdEnumConverter<PointState>))]
public enum PointState
{
    /// <summary>Trained to its end and reported: counted in the tables, never run again.</summary>
    Finished,
    /// <summary>A loss became NaN or infinite: left out of the tables and not retried (it would diverge again).</summary>
    Diverged,
    /// <summary>Ended with another error (bad option, unreadable data, killed process): retried by the next sweep.</summary>
    Failed,
    /// <summary>Its run folder exists but the run has not ended (running, or killed): the next sweep resumes it.</summary>
    Incomplete,
    /// <summary>Never started.</summary>
    Missing,
}

/// <summary>How a point's last attempt ended, as run-point records it in the sweep's status/NAME.json.</summary>
/// <param name="Message">The error of a diverged or failed run.</param>
/// <param name="Seconds">The attempt's wall time.</param>
public sealed record PointStatus(string Point, PointState State, string? Message, double Seconds, DateTimeOffset Ended)
{
    /// <summary>The start of the error <see cref="Training.RunEngine"/> raises when a loss becomes NaN or infinite.</summary>
    public const string DivergedPrefix = "training diverged";

    /// <summary>The status of an attempt that exited with <paramref name="exitCode"/> and printed
    /// <paramref name="error"/> (its "error: …" line without the prefix, if any).</summary>
    public static PointStatus Of(string point, int exitCode, string? error, TimeSpan took)
    {
        var state = exitCode == 0 ? PointState.Finished
            : error?.StartsWith(DivergedPrefix, StringComparison.Ordinal) == true ? PointState.Diverged
            : PointState.Failed;
        return new(point, state, state == PointState.Finished ? null : error ?? $"exit code {exitCode}", Math.Round(took.TotalSeconds, 1), DateTimeOffset.UtcNow);
    }

    /// <summary>Whether a sweep leaves the point alone: its outcome would not change by running it again.</summary>
    public static bool IsSettled(PointState state) => state is PointState.Finished or PointState.Diverged;
}
