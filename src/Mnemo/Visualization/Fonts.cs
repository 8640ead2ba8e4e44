using SkiaSharp;

namespace Mnemo.Visualization;

/// <summary>A typeface for labels. SkiaSharp's no-dependency Linux build has no fontconfig, so look for a file too.</summary>
internal static class Fonts
{
    static readonly Lazy<SKTypeface> Sans = new(() =>
    {
        var byName = SKFontManager.Default.MatchFamily("DejaVu Sans");
        if (byName is not null) return byName;
        string[] candidates =
        {
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            "/usr/share/fonts/TTF/DejaVuSans.ttf",
            "/usr/share/fonts/dejavu/DejaVuSans.ttf",
            "/System/Library/Fonts/Helvetica.ttc",
            "C:/Windows/Fonts/arial.ttf",
        };
        foreach (var path in candidates)
            if (File.Exists(path) && SKTypeface.FromFile(path) is { } face) return face;
        return SKTypeface.Default;
    });

    public static SKTypeface Default => Sans.Value;
}
