using System.Globalization;
using System.Text;

namespace Keyslot.Testing.Internal;

/// <summary>One line of <c>CLUSTER NODES</c>.</summary>
internal sealed record ClusterViewEntry(
    string NodeId,
    string Endpoint,
    IReadOnlySet<string> Flags,
    string? PrimaryId,
    IReadOnlyList<(int Start, int End)> Slots,
    IReadOnlyList<string> MigrationStates)
{
    public bool IsPrimary => Flags.Contains("master");

    public bool IsReplica => Flags.Contains("slave");

    public bool IsMyself => Flags.Contains("myself");

    /// <summary>Flagged as failing, unreachable or still in handshake.</summary>
    public bool IsUnhealthy => Flags.Contains("fail") || Flags.Contains("fail?") || Flags.Contains("handshake") || Flags.Contains("noaddr");

    public int SlotCount => Slots.Sum(r => r.End - r.Start + 1);

    public bool Owns(int slot) => Slots.Any(r => slot >= r.Start && slot <= r.End);

    public IEnumerable<int> EnumerateSlots() => Slots.SelectMany(r => Enumerable.Range(r.Start, r.End - r.Start + 1));
}

/// <summary>A parsed <c>CLUSTER NODES</c> reply: one node's view of the cluster.</summary>
internal sealed class ClusterView
{
    private readonly Dictionary<string, ClusterViewEntry> _byId;

    private ClusterView(IReadOnlyList<ClusterViewEntry> entries)
    {
        Entries = entries;
        _byId = new Dictionary<string, ClusterViewEntry>(entries.Count, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            _byId.TryAdd(entry.NodeId, entry);
        }
    }

    public IReadOnlyList<ClusterViewEntry> Entries { get; }

    /// <summary>The entry of one node id (a dictionary: convergence checks look up every node in every node's view).</summary>
    public ClusterViewEntry? Find(string nodeId) => _byId.GetValueOrDefault(nodeId);

    public ClusterViewEntry? OwnerOf(int slot) => Entries.FirstOrDefault(e => e.IsPrimary && e.Owns(slot));

    public static ClusterView Parse(string text)
    {
        var entries = new List<ClusterViewEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 8)
            {
                continue;
            }

            var address = parts[1];
            var at = address.IndexOf('@', StringComparison.Ordinal);
            var endpoint = at >= 0 ? address[..at] : address.Split(',')[0];
            var flags = parts[2].Split(',').ToHashSet(StringComparer.Ordinal);
            var primary = parts[3] == "-" ? null : parts[3];
            var slots = new List<(int, int)>();
            var migrations = new List<string>();
            foreach (var token in parts.Skip(8))
            {
                if (token.StartsWith('['))
                {
                    migrations.Add(token);
                    continue;
                }

                var dash = token.IndexOf('-', StringComparison.Ordinal);
                if (dash < 0)
                {
                    var slot = int.Parse(token, CultureInfo.InvariantCulture);
                    slots.Add((slot, slot));
                }
                else
                {
                    slots.Add((int.Parse(token[..dash], CultureInfo.InvariantCulture), int.Parse(token[(dash + 1)..], CultureInfo.InvariantCulture)));
                }
            }

            entries.Add(new ClusterViewEntry(parts[0], endpoint, flags, primary, slots, migrations));
        }

        return new ClusterView(entries);
    }

    /// <summary>
    /// A canonical description of who owns which slots and who replicates whom, restricted to the given node ids
    /// (plus any other node that still owns slots). Equal signatures mean two nodes agree on the topology.
    /// </summary>
    public string Signature(IReadOnlySet<string> liveNodeIds)
    {
        var sb = new StringBuilder();
        foreach (var entry in Entries.OrderBy(e => e.NodeId, StringComparer.Ordinal))
        {
            if (!liveNodeIds.Contains(entry.NodeId) && entry.Slots.Count == 0)
            {
                continue;
            }

            sb.Append(entry.NodeId[..8]).Append(entry.IsPrimary ? " primary " : " replica-of ").Append(entry.PrimaryId?[..8] ?? string.Empty);
            foreach (var (start, end) in entry.Slots.OrderBy(r => r.Start))
            {
                sb.Append(' ').Append(start).Append('-').Append(end);
            }

            sb.Append("; ");
        }

        return sb.ToString();
    }
}
