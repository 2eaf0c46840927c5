using Keyslot.Connections;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

public abstract partial class RedisCommands
{
    /// <inheritdoc/>
    public ValueTask<bool> GeoAddAsync(RedisKey key, double longitude, double latitude, RedisArgument member, SetCondition when = SetCondition.Always, bool change = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        AddGeoAddOptions(ref builder, when, change);
        GeoArguments.CheckPosition(longitude, latitude, nameof(longitude));
        builder.Add(longitude);
        builder.Add(latitude);
        builder.Add(member);
        return Keyed(builder.Build("GEOADD"), key, Write, ReplyParsers.Boolean, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> GeoAddAsync(RedisKey key, IEnumerable<GeoEntry> entries, SetCondition when = SetCondition.Always, bool change = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        AddGeoAddOptions(ref builder, when, change);
        int count = 0;
        foreach (GeoEntry entry in entries)
        {
            GeoArguments.CheckPosition(entry.Longitude, entry.Latitude, nameof(entries));
            builder.Add(entry.Longitude);
            builder.Add(entry.Latitude);
            builder.Add(entry.Member);
            count++;
        }
        if (count == 0) throw new ArgumentException("GEOADD needs at least one member.", nameof(entries));
        return Keyed(builder.Build("GEOADD"), key, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<double?> GeoDistanceAsync(RedisKey key, RedisArgument member1, RedisArgument member2, GeoUnit unit = GeoUnit.Meters, CancellationToken cancellationToken = default)
    {
        GeoArguments.CheckUnit(unit, nameof(unit));
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        builder.Add(member1);
        builder.Add(member2);
        builder.Add(GeoArguments.Unit(unit));
        return Keyed(builder.Build("GEODIST"), key, Read, SortedSetReplies.NullableScore, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<GeoPosition?> GeoPositionAsync(RedisKey key, RedisArgument member, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("GEOPOS", key, member), key, Read, GeoReplies.Position, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<GeoPosition?[]> GeoPositionAsync(RedisKey key, RedisArgument[] members, CancellationToken cancellationToken = default) =>
        Keyed(ZKeyAndMembers("GEOPOS", key, members), key, Read, GeoReplies.Positions, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?> GeoHashAsync(RedisKey key, RedisArgument member, CancellationToken cancellationToken = default) =>
        Keyed(RespCommand.Create("GEOHASH", key, member), key, Read, GeoReplies.Hash, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<string?[]> GeoHashAsync(RedisKey key, RedisArgument[] members, CancellationToken cancellationToken = default) =>
        Keyed(ZKeyAndMembers("GEOHASH", key, members), key, Read, ReplyParsers.StringArray, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<GeoSearchResult<string>[]> GeoSearchAsync(RedisKey key, RedisArgument member, GeoSearchShape shape, Order? order = null, long count = -1, bool any = false,
        GeoSearchOptions options = GeoSearchOptions.None, CancellationToken cancellationToken = default) =>
        Keyed(GeoSearch(key, true, member, 0, 0, shape, order, count, any, options), key, Read, GeoReplies.Search, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<GeoSearchResult<string>[]> GeoSearchAsync(RedisKey key, double longitude, double latitude, GeoSearchShape shape, Order? order = null, long count = -1,
        bool any = false, GeoSearchOptions options = GeoSearchOptions.None, CancellationToken cancellationToken = default) =>
        Keyed(GeoSearch(key, false, default, longitude, latitude, shape, order, count, any, options), key, Read, GeoReplies.Search, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<GeoSearchResult<byte[]>[]> GeoSearchBytesAsync(RedisKey key, RedisArgument member, GeoSearchShape shape, Order? order = null, long count = -1,
        bool any = false, GeoSearchOptions options = GeoSearchOptions.None, CancellationToken cancellationToken = default) =>
        Keyed(GeoSearch(key, true, member, 0, 0, shape, order, count, any, options), key, Read, GeoReplies.SearchBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<GeoSearchResult<byte[]>[]> GeoSearchBytesAsync(RedisKey key, double longitude, double latitude, GeoSearchShape shape, Order? order = null, long count = -1,
        bool any = false, GeoSearchOptions options = GeoSearchOptions.None, CancellationToken cancellationToken = default) =>
        Keyed(GeoSearch(key, false, default, longitude, latitude, shape, order, count, any, options), key, Read, GeoReplies.SearchBytes, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<long> GeoSearchAndStoreAsync(RedisKey source, RedisKey destination, RedisArgument member, GeoSearchShape shape, Order? order = null, long count = -1,
        bool any = false, bool storeDistances = false, CancellationToken cancellationToken = default)
    {
        RespCommand command = GeoSearchStore(source, destination, true, member, 0, 0, shape, order, count, any, storeDistances, out int slot);
        return InSlot(command, slot, Write, ReplyParsers.Int64, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> GeoSearchAndStoreAsync(RedisKey source, RedisKey destination, double longitude, double latitude, GeoSearchShape shape, Order? order = null,
        long count = -1, bool any = false, bool storeDistances = false, CancellationToken cancellationToken = default)
    {
        RespCommand command = GeoSearchStore(source, destination, false, default, longitude, latitude, shape, order, count, any, storeDistances, out int slot);
        return InSlot(command, slot, Write, ReplyParsers.Int64, cancellationToken);
    }

    private static void AddGeoAddOptions(ref CommandBuilder builder, SetCondition when, bool change)
    {
        switch (when)
        {
            case SetCondition.Always: break;
            case SetCondition.NotExists: builder.Add("NX"); break;
            case SetCondition.Exists: builder.Add("XX"); break;
            default: throw new ArgumentOutOfRangeException(nameof(when), when, "Not a SetCondition.");
        }
        if (change) builder.Add("CH");
    }

    private static RespCommand GeoSearch(RedisKey key, bool fromMember, RedisArgument member, double longitude, double latitude, GeoSearchShape shape, Order? order, long count, bool any,
        GeoSearchOptions options)
    {
        const GeoSearchOptions all = GeoSearchOptions.WithCoordinates | GeoSearchOptions.WithDistance | GeoSearchOptions.WithHash;
        if ((options & ~all) != 0) throw new ArgumentOutOfRangeException(nameof(options), options, "Not GeoSearchOptions.");
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.Add(key);
        AddGeoSearchArguments(ref builder, fromMember, member, longitude, latitude, shape, order, count, any);
        if ((options & GeoSearchOptions.WithCoordinates) != 0) builder.Add("WITHCOORD");
        if ((options & GeoSearchOptions.WithDistance) != 0) builder.Add("WITHDIST");
        if ((options & GeoSearchOptions.WithHash) != 0) builder.Add("WITHHASH");
        return builder.Build("GEOSEARCH");
    }

    private static RespCommand GeoSearchStore(RedisKey source, RedisKey destination, bool fromMember, RedisArgument member, double longitude, double latitude, GeoSearchShape shape,
        Order? order, long count, bool any, bool storeDistances, out int slot)
    {
        ArgumentScratch scratch = default;
        var builder = new CommandBuilder(scratch);
        builder.AddKey(destination);
        builder.AddKey(source);
        AddGeoSearchArguments(ref builder, fromMember, member, longitude, latitude, shape, order, count, any);
        if (storeDistances) builder.Add("STOREDIST");
        RespCommand command = builder.Build("GEOSEARCHSTORE");
        slot = builder.Slot;
        return command;
    }

    /// <summary>
    /// <c>FROMMEMBER m | FROMLONLAT lon lat, BYRADIUS … | BYBOX …, [ASC|DESC], [COUNT n [ANY]]</c>: from the member
    /// when <paramref name="fromMember"/>, else from the longitude and latitude.
    /// </summary>
    private static void AddGeoSearchArguments(ref CommandBuilder builder, bool fromMember, RedisArgument member, double longitude, double latitude, GeoSearchShape shape, Order? order,
        long count, bool any)
    {
        if (fromMember)
        {
            if (member.Kind == ArgumentKind.None) throw new ArgumentException("The center member is default(RedisArgument); pass a member.", nameof(member));
            builder.Add("FROMMEMBER");
            builder.Add(member);
        }
        else
        {
            GeoArguments.CheckPosition(longitude, latitude, nameof(longitude));
            builder.Add("FROMLONLAT");
            builder.Add(longitude);
            builder.Add(latitude);
        }
        shape.AddTo(ref builder, nameof(shape));
        if (order is { } sort) builder.Add(ZCheck(sort) == Order.Ascending ? "ASC" : "DESC");
        if (count == 0 || count < -1) throw new ArgumentOutOfRangeException(nameof(count), count, "The count is -1 (no limit) or 1 or more.");
        if (any && count == -1) throw new ArgumentException("ANY needs a count: it stops at the first count matches found.", nameof(any));
        if (count > 0)
        {
            builder.Add("COUNT");
            builder.Add(count);
            if (any) builder.Add("ANY");
        }
    }
}
