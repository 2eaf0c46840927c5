using System.Globalization;
using System.Net;
using System.Text;

namespace Keyslot.ScalingDemo;

/// <summary>A self-contained HTML page with two SVG line charts (writes, reads) of p50/p90/p95 per window.</summary>
internal static class HtmlChart
{
    private const int Width = 760, Height = 260, Left = 50, Bottom = 30, Top = 20;
    private static readonly (string Name, string Color)[] Series = [("p50", "#2b7bb9"), ("p90", "#e69f00"), ("p95", "#d55e00")];

    public static string Render(WindowedRecorder recorder, int shards)
    {
        IReadOnlyList<WindowSummary> windows = recorder.Summaries();
        var html = new StringBuilder();
        html.Append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Keyslot scaling demo</title>")
            .Append("<style>body{font-family:sans-serif;margin:24px}svg{background:#fafafa;border:1px solid #ddd}</style></head><body>")
            .Append("<h1>Session store while scaling out</h1><p>")
            .Append(WebUtility.HtmlEncode($"Windows of {recorder.WindowLength.TotalSeconds:0} s; {shards} shard(s) at the end; errors: {recorder.Errors}. Events: "))
            .Append(WebUtility.HtmlEncode(string.Join("; ", recorder.Marks.Select(m => $"{m.At.TotalSeconds:0.0} s {m.What}"))))
            .Append("</p>");
        html.Append("<h2>Writes (HSET + EXPIRE), ms</h2>").Append(Chart(windows, w => [w.WriteP50, w.WriteP90, w.WriteP95], recorder));
        html.Append("<h2>Reads (HGETALL), ms</h2>").Append(Chart(windows, w => [w.ReadP50, w.ReadP90, w.ReadP95], recorder));
        html.Append("</body></html>");
        return html.ToString();
    }

    private static string Chart(IReadOnlyList<WindowSummary> windows, Func<WindowSummary, double[]> values, WindowedRecorder recorder)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"{Width}\" height=\"{Height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        if (windows.Count == 0) return svg.Append("</svg>").ToString();
        double max = windows.SelectMany(values).Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max() * 1.1;
        double end = (windows[^1].Start + recorder.WindowLength).TotalSeconds;
        double X(double seconds) => Left + (Width - Left - 10) * seconds / end;
        double Y(double ms) => Top + (Height - Top - Bottom) * (1 - ms / max);

        // The scaling period, shaded.
        (TimeSpan At, string What)[] marks = [.. recorder.Marks];
        if (marks.Length >= 2)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(marks[0].At.TotalSeconds):0.0}\" y=\"{Top}\" width=\"{X(marks[^1].At.TotalSeconds) - X(marks[0].At.TotalSeconds):0.0}\" height=\"{Height - Top - Bottom}\" fill=\"#e8f0e0\"/>");
        }
        // Axes with a few labels.
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - 10}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>");
        for (int i = 0; i <= 4; i++)
        {
            double ms = max * i / 4;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{Y(ms) + 4:0.0}\" font-size=\"11\">{ms:0.00}</text>");
        }
        foreach (WindowSummary w in windows)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(w.Start.TotalSeconds) - 6:0.0}\" y=\"{Height - 10}\" font-size=\"11\">{w.Start.TotalSeconds:0}s</text>");
        }
        for (int s = 0; s < Series.Length; s++)
        {
            var points = new StringBuilder();
            foreach (WindowSummary w in windows)
            {
                double v = values(w)[s];
                if (double.IsNaN(v)) continue;
                points.Append(CultureInfo.InvariantCulture, $"{X((w.Start + recorder.WindowLength / 2).TotalSeconds):0.0},{Y(v):0.0} ");
            }
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Series[s].Color}\" stroke-width=\"2\" points=\"{points}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - 60}\" y=\"{Top + 14 * (s + 1)}\" font-size=\"12\" fill=\"{Series[s].Color}\">{Series[s].Name}</text>");
        }
        return svg.Append("</svg>").ToString();
    }
}
