using System.Globalization;

namespace Keyslot.Demo;

/// <summary>
/// The demo's command line: an optional configuration string, <c>--seconds N</c>, <c>--shards N</c> and
/// <c>--replicas N</c> (the shape of the local cluster: 3 × 1 unless told; 90 × 1 is ElastiCache's largest), and
/// <c>--standalone</c> (a local primary with two replicas, without cluster mode, instead of a local cluster).
/// </summary>
internal sealed record DemoArguments(string? Configuration, TimeSpan Duration, bool Standalone, int Shards, int Replicas)
{
    private const string Usage = "Usage: Keyslot.Demo [\"<configuration string>\" | --standalone | --shards N (1-90) --replicas N (0-5)] [--seconds N]";

    public static DemoArguments Parse(string[] args)
    {
        string? configuration = null;
        TimeSpan duration = TimeSpan.FromSeconds(5);
        bool standalone = false, shaped = false;
        int shards = 3, replicas = 1;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && seconds > 0)
            {
                duration = TimeSpan.FromSeconds(seconds);
                i++;
            }
            else if (args[i] == "--shards" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 90)
            {
                shards = n;
                shaped = true;
                i++;
            }
            else if (args[i] == "--replicas" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int r) && r is >= 0 and <= 5)
            {
                replicas = r;
                shaped = true;
                i++;
            }
            else if (args[i] == "--standalone")
            {
                standalone = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unknown option or bad value: {args[i]}. {Usage}");
            }
            else
            {
                configuration = args[i];
            }
        }
        if (standalone && configuration is not null) throw new ArgumentException("--standalone starts local servers; it takes no configuration string.");
        if (shaped && (standalone || configuration is not null)) throw new ArgumentException($"--shards and --replicas shape the local cluster; they go without a configuration string and without --standalone. {Usage}");
        return new DemoArguments(configuration, duration, standalone, shards, replicas);
    }
}
