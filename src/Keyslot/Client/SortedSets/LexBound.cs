namespace Keyslot;

/// <summary>
/// One end of a lexicographical range (ZRANGE BYLEX, ZLEXCOUNT, ZREMRANGEBYLEX), for sorted sets whose members all
/// have the same score: a member, included (<c>[member</c>) or excluded (<c>(member</c>), or the open ends
/// <see cref="Min"/> (<c>-</c>) and <see cref="Max"/> (<c>+</c>). Members compare as bytes. Ranges are always given
/// as <c>min, max</c>, whatever the order of the result. <c>default(LexBound)</c> is refused.
/// </summary>
public readonly struct LexBound
{
    private readonly RedisArgument _value;
    private readonly Kind _kind;

    private enum Kind : byte { None, Inclusive, Exclusive, Min, Max }

    private LexBound(RedisArgument value, Kind kind)
    {
        if (kind is Kind.Inclusive or Kind.Exclusive && value.Kind == ArgumentKind.None) throw new ArgumentException("A lex bound needs a value.", nameof(value));
        _value = value;
        _kind = kind;
    }

    /// <summary>Below every member (<c>-</c>).</summary>
    public static LexBound Min => new(default, Kind.Min);

    /// <summary>Above every member (<c>+</c>).</summary>
    public static LexBound Max => new(default, Kind.Max);

    /// <summary>A bound that includes <paramref name="member"/> (<c>[member</c>).</summary>
    public static LexBound Inclusive(RedisArgument member) => new(member, Kind.Inclusive);

    /// <summary>A bound that excludes <paramref name="member"/> (<c>(member</c>).</summary>
    public static LexBound Exclusive(RedisArgument member) => new(member, Kind.Exclusive);

    /// <summary>The bound as the server reads it; <c>default(LexBound)</c> throws <see cref="ArgumentException"/>.</summary>
    internal RedisArgument ToArgument(string parameter)
    {
        switch (_kind)
        {
            case Kind.Min: return "-";
            case Kind.Max: return "+";
            case Kind.None: throw new ArgumentException("default(LexBound) is not a bound; use LexBound.Inclusive, Exclusive, Min or Max.", parameter);
        }
        char prefix = _kind == Kind.Inclusive ? '[' : '(';
        if (_value.Kind != ArgumentKind.Bytes) return prefix + _value.ToString();
        ReadOnlySpan<byte> bytes = _value.Span;
        var prefixed = new byte[bytes.Length + 1];
        prefixed[0] = (byte)prefix;
        bytes.CopyTo(prefixed.AsSpan(1));
        return prefixed;
    }

    /// <summary>The bound as sent: <c>[a</c>, <c>(a</c>, <c>-</c> or <c>+</c> (binary members decoded as UTF-8).</summary>
    public override string ToString() => _kind switch
    {
        Kind.Min => "-",
        Kind.Max => "+",
        Kind.Inclusive => "[" + _value.ToString(),
        Kind.Exclusive => "(" + _value.ToString(),
        _ => "",
    };
}
