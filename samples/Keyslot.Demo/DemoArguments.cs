using System.Globalization;

namespace Keyslot.Demo;

/// <summary>The demo's command line: an optional configuration string and <c>--seconds N</c>.</summary>
internal sealed record DemoArguments(string? Configuration, TimeSpan Duration)
{
    public static DemoArguments Parse(string[] args)
    {
        string? configuration = null;
        TimeSpan duration = TimeSpan.FromSeconds(5);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0)
            {
                duration = TimeSpan.FromSeconds(seconds);
                i++;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unknown option {args[i]}. Usage: Keyslot.Demo [\"<configuration string>\"] [--seconds N]");
            }
            else
            {
                configuration = args[i];
            }
        }
        return new DemoArguments(configuration, duration);
    }
}
