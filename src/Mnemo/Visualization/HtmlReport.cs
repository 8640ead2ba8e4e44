using System.Net;
using System.Text;

namespace Mnemo.Visualization;

/// <summary>Builds a self-contained HTML page (images embedded as data URIs) and a Markdown twin that links them.</summary>
public sealed class HtmlReport
{
    readonly StringBuilder _html = new();
    readonly StringBuilder _markdown = new();
    readonly string _baseDir;

    public HtmlReport(string title, string baseDir)
    {
        _baseDir = baseDir;
        _html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title))
            .Append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}")
            .Append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
            .Append("th{background:#f0f0f0}img{max-width:100%;margin:0.5em 0}code{background:#f4f4f4;padding:1px 4px}")
            .Append(".figures{display:flex;flex-wrap:wrap;gap:1em}</style></head><body>");
        _html.Append("<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>");
        _markdown.Append("# ").Append(title).Append("\n\n");
    }

    public HtmlReport Heading(string text)
    {
        _html.Append("<h2>").Append(WebUtility.HtmlEncode(text)).Append("</h2>");
        _markdown.Append("\n## ").Append(text).Append("\n\n");
        return this;
    }

    public HtmlReport Paragraph(string text)
    {
        _html.Append("<p>").Append(WebUtility.HtmlEncode(text)).Append("</p>");
        _markdown.Append(text).Append("\n\n");
        return this;
    }

    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var rowList = rows.ToList();
        _html.Append("<table><tr>");
        foreach (var h in header) _html.Append("<th>").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        _html.Append("</tr>");
        foreach (var row in rowList)
        {
            _html.Append("<tr>");
            foreach (var cell in row) _html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            _html.Append("</tr>");
        }
        _html.Append("</table>");
        _markdown.Append("| ").Append(string.Join(" | ", header)).Append(" |\n|");
        _markdown.Append(string.Concat(header.Select(_ => " --- |"))).Append('\n');
        foreach (var row in rowList) _markdown.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
        _markdown.Append('\n');
        return this;
    }

    /// <summary>Embeds an image file (path relative to the report's folder); a missing file is skipped.</summary>
    public HtmlReport Image(string relativePath, string caption)
    {
        var full = Path.Combine(_baseDir, relativePath);
        if (!File.Exists(full)) return this;
        var mime = relativePath.EndsWith(".gif", StringComparison.OrdinalIgnoreCase) ? "image/gif" : "image/png";
        _html.Append("<figure><img alt=\"").Append(WebUtility.HtmlEncode(caption)).Append("\" src=\"data:").Append(mime).Append(";base64,")
            .Append(Convert.ToBase64String(File.ReadAllBytes(full))).Append("\"><figcaption>")
            .Append(WebUtility.HtmlEncode(caption)).Append("</figcaption></figure>");
        _markdown.Append("![").Append(caption).Append("](").Append(relativePath.Replace('\\', '/')).Append(")\n\n");
        return this;
    }

    public HtmlReport Code(string text)
    {
        _html.Append("<pre><code>").Append(WebUtility.HtmlEncode(text)).Append("</code></pre>");
        _markdown.Append("```\n").Append(text).Append("\n```\n\n");
        return this;
    }

    /// <summary>Writes NAME.html and NAME.md into the base folder; returns the HTML path.</summary>
    public string Save(string name)
    {
        var html = Path.Combine(_baseDir, name + ".html");
        Training.AtomicFile.WriteAllText(html, _html + "</body></html>\n");
        Training.AtomicFile.WriteAllText(Path.Combine(_baseDir, name + ".md"), _markdown.ToString());
        return html;
    }
}
