namespace Keyslot.SideBySide;

/// <summary>
/// The data-type loops of the side-by-side run (<c>--datatypes</c>), each written with the client's own typed API:
/// sorted sets (ZADD and ZRANGE … WITHSCORES) and streams (XADD, XREADGROUP, XACK through one consumer group).
/// </summary>
internal interface IDataTypeClient
{
    string Name { get; }

    /// <summary>Operations [0, count): even ones ZADD a member to one of 100 sorted sets, odd ones read its top 10 with scores.</summary>
    Task RunSortedSetMixAsync(string prefix, long count, int concurrency);

    /// <summary>Creates <paramref name="streams"/> streams with a consumer group (untimed).</summary>
    Task PrepareStreamsAsync(string prefix, int streams);

    /// <summary>
    /// <paramref name="count"/> cycles with <paramref name="concurrency"/> in flight, each on its worker's own stream:
    /// XADD one entry, XREADGROUP it (COUNT 1, "&gt;"), XACK it. Returns the entries acknowledged.
    /// </summary>
    Task<long> RunStreamCycleAsync(string prefix, int streams, long count, int concurrency);
}
