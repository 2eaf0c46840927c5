using System.Text;
using Keyslot.Protocol;
using Keyslot.Routing;

namespace Keyslot;

/// <summary>
/// A precondition of a <see cref="ClusterTransaction"/>: its key is WATCHed, its value read, and the transaction runs
/// only if the condition holds and the key does not change before EXEC (optimistic locking, as StackExchange.Redis's
/// <c>Condition</c>). Read a value, then commit "set it to v + 1 if it is still v": a concurrent writer makes the
/// commit report false instead of being overwritten.
/// </summary>
public sealed class TransactionCondition
{
    private readonly Check _check;
    private readonly byte[]? _expected;

    private TransactionCondition(RedisKey key, RespCommand read, Check check, byte[]? expected, string description)
    {
        Key = key;
        Read = read;
        _check = check;
        _expected = expected;
        Description = description;
    }

    private enum Check : byte { Exists, NotExists, Equal, NotEqual }

    /// <summary>The key the condition watches.</summary>
    public RedisKey Key { get; }

    internal RespCommand Read { get; }

    internal int Slot => KeySlot.Of(Key);

    /// <summary>What the condition requires, without values (for messages and logs).</summary>
    public string Description { get; }

    /// <summary>The key exists.</summary>
    public static TransactionCondition KeyExists(RedisKey key) => new(key, RespCommand.Create("EXISTS", key), Check.Exists, null, "key exists");

    /// <summary>The key does not exist.</summary>
    public static TransactionCondition KeyNotExists(RedisKey key) => new(key, RespCommand.Create("EXISTS", key), Check.NotExists, null, "key does not exist");

    /// <summary>The string at the key equals <paramref name="value"/> (a missing key equals nothing).</summary>
    public static TransactionCondition StringEqual(RedisKey key, RedisArgument value) =>
        new(key, RespCommand.Create("GET", key), Check.Equal, BytesOf(value), "string equals the expected value");

    /// <summary>The string at the key differs from <paramref name="value"/> (a missing key differs).</summary>
    public static TransactionCondition StringNotEqual(RedisKey key, RedisArgument value) =>
        new(key, RespCommand.Create("GET", key), Check.NotEqual, BytesOf(value), "string differs from the given value");

    /// <summary>The hash at the key has <paramref name="field"/>.</summary>
    public static TransactionCondition HashExists(RedisKey key, RedisArgument field) =>
        new(key, RespCommand.Create("HEXISTS", key, field), Check.Exists, null, "hash field exists");

    /// <summary>The hash at the key does not have <paramref name="field"/>.</summary>
    public static TransactionCondition HashNotExists(RedisKey key, RedisArgument field) =>
        new(key, RespCommand.Create("HEXISTS", key, field), Check.NotExists, null, "hash field does not exist");

    /// <summary>The hash field equals <paramref name="value"/>.</summary>
    public static TransactionCondition HashEqual(RedisKey key, RedisArgument field, RedisArgument value) =>
        new(key, RespCommand.Create("HGET", key, field), Check.Equal, BytesOf(value), "hash field equals the expected value");

    /// <summary>True when <paramref name="reply"/> (the answer to <see cref="Read"/>) satisfies the condition.</summary>
    internal bool IsMet(RespValue reply) => _check switch
    {
        Check.Exists => reply.AsInt64() != 0,
        Check.NotExists => reply.AsInt64() == 0,
        Check.Equal => !reply.IsNull && reply.AsBytes().AsSpan().SequenceEqual(_expected),
        _ => reply.IsNull || !reply.AsBytes().AsSpan().SequenceEqual(_expected),
    };

    /// <summary>The bytes the server stores for an argument (numbers as the writer formats them).</summary>
    private static byte[] BytesOf(RedisArgument value) =>
        value.Kind == ArgumentKind.Bytes ? value.Span.ToArray() : Encoding.UTF8.GetBytes(value.ToString());

    /// <inheritdoc/>
    public override string ToString() => $"{Description} ({Key})";
}
