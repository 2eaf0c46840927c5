using System.Globalization;

namespace Keyslot.ScalingDemo;

/// <summary>Command line: an optional configuration string, and timings.</summary>
/// <param name="ScaleRequested">True when --scale-at was given: against a real cluster, that marks the moment the
/// operator scales it (the demo itself never changes a real cluster's topology).</param>
internal sealed record ScalingArguments(string? Configuration, TimeSpan Duration, TimeSpan Window, TimeSpan ScaleAt, string OutputPath, bool ScaleRequested)
{
    public static ScalingArguments Parse(string[] args)
    {
        string? configuration = null;
        int seconds = 40, window = 5, scaleAt = 15;
        string output = "scaling.html";
        bool scaleRequested = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds": seconds = Number(args, ++i); break;
                case "--window": window = Number(args, ++i); break;
                case "--scale-at": scaleAt = Number(args, ++i); scaleRequested = true; break;
                case "--out": output = i + 1 < args.Length ? args[++i] : throw Usage("--out needs a path"); break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal)) throw Usage("unknown option " + args[i]);
                    configuration = args[i];
                    break;
            }
        }
        if (scaleAt >= seconds) throw Usage("--scale-at must be before the end of the run");
        return new ScalingArguments(configuration, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(window), TimeSpan.FromSeconds(scaleAt), output, scaleRequested);
    }

    private static int Number(string[] args, int i) =>
        i < args.Length && int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw Usage($"{args[i - 1]} needs a positive number");

    private static ArgumentException Usage(string problem) =>
        new($"{problem}. Usage: ScalingDemo [\"<configuration string>\"] [--seconds 40] [--window 5] [--scale-at 15] [--out scaling.html]");
}
