using System.Globalization;

namespace Keyslot.Demo;

/// <summary>
/// The demo's command line: an optional configuration string, <c>--seconds N</c>, and <c>--standalone</c> (a local
/// primary with two replicas, without cluster mode, instead of a local cluster).
/// </summary>
internal sealed record DemoArguments(string? Configuration, TimeSpan Duration, bool Standalone)
{
    public static DemoArguments Parse(string[] args)
    {
        string? configuration = null;
        TimeSpan duration = TimeSpan.FromSeconds(5);
        bool standalone = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0)
            {
                duration = TimeSpan.FromSeconds(seconds);
                i++;
            }
            else if (args[i] == "--standalone")
            {
                standalone = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unknown option {args[i]}. Usage: Keyslot.Demo [\"<configuration string>\" | --standalone] [--seconds N]");
            }
            else
            {
                configuration = args[i];
            }
        }
        if (standalone && configuration is not null) throw new ArgumentException("--standalone starts local servers; it takes no configuration string.");
        return new DemoArguments(configuration, duration, standalone);
    }
}
