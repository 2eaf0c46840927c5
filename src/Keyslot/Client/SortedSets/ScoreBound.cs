using System.Globalization;

namespace Keyslot;

/// <summary>
/// One end of a score range (ZRANGE BYSCORE, ZCOUNT, ZREMRANGEBYSCORE): a score, included (the default, and what a
/// <see cref="double"/> converts to) or excluded (sent as <c>(score</c>), or an infinity. Ranges are always given
/// as <c>min, max</c>, whatever the order of the result.
/// </summary>
public readonly struct ScoreBound : IEquatable<ScoreBound>
{
    private ScoreBound(double value, bool exclusive)
    {
        if (double.IsNaN(value)) throw new ArgumentException("NaN is not a score.", nameof(value));
        Value = value;
        IsExclusive = exclusive;
    }

    /// <summary>The score.</summary>
    public double Value { get; }

    /// <summary>True when a member with exactly <see cref="Value"/> is outside the range.</summary>
    public bool IsExclusive { get; }

    /// <summary>Every score (<c>-inf</c>).</summary>
    public static ScoreBound NegativeInfinity => new(double.NegativeInfinity, false);

    /// <summary>Every score (<c>+inf</c>).</summary>
    public static ScoreBound PositiveInfinity => new(double.PositiveInfinity, false);

    /// <summary>A bound that includes <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is NaN.</exception>
    public static ScoreBound Inclusive(double value) => new(value, false);

    /// <summary>A bound that excludes <paramref name="value"/> (<c>(value</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is NaN.</exception>
    public static ScoreBound Exclusive(double value) => new(value, true);

    /// <summary>An inclusive bound.</summary>
    public static implicit operator ScoreBound(double value) => new(value, false);

    /// <summary>The bound as the server reads it.</summary>
    internal RedisArgument ToArgument() => IsExclusive ? "(" + Format(Value) : RedisArgument.FromDouble(Value);

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+inf" : double.IsNegativeInfinity(value) ? "-inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public bool Equals(ScoreBound other) => Value.Equals(other.Value) && IsExclusive == other.IsExclusive;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ScoreBound other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Value, IsExclusive);

    /// <summary>The bound as sent: <c>1.5</c>, <c>(1.5</c>, <c>-inf</c>…</summary>
    public override string ToString() => (IsExclusive ? "(" : "") + Format(Value);

    /// <summary>Compares two bounds.</summary>
    public static bool operator ==(ScoreBound left, ScoreBound right) => left.Equals(right);

    /// <summary>Compares two bounds.</summary>
    public static bool operator !=(ScoreBound left, ScoreBound right) => !left.Equals(right);
}
