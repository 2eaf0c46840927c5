using System.Buffers;
using System.Text;
using Keyslot.Protocol;
using V = Keyslot.RespValue;

namespace Keyslot.Tests.Protocol;

/// <summary>The public conversions of <see cref="RespValue"/>: what each accepts, what it returns, and how it refuses.</summary>
public class RespValueTests
{
    private static V Parse(string wire) => RespTestParse.ParseOne(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(wire)), out _);

    // The refusal names both the RESP type and the target, so a caller can tell what the server actually sent.
    private static void AssertCastFails(Action convert, string type, string target)
    {
        var error = Assert.Throws<InvalidCastException>(convert);
        Assert.Equal($"Cannot convert a RESP {type} to {target}.", error.Message);
    }

    [Fact]
    public void AsString_renders_every_scalar_in_invariant_form()
    {
        Assert.Equal("bar", V.FromString("bar").AsString());
        Assert.Equal("OK", V.FromSimpleString("OK").AsString());
        Assert.Equal("ERR x", V.FromError("ERR x").AsString());
        Assert.Equal("ERR y", V.FromError("ERR y", bulk: true).AsString());
        Assert.Equal("-42", V.FromInt64(-42).AsString());
        Assert.Equal("true", V.FromBoolean(true).AsString());
        Assert.Equal("false", V.FromBoolean(false).AsString());
        Assert.Equal("1.5", V.FromDouble(1.5).AsString());
        Assert.Equal("inf", V.FromDouble(double.PositiveInfinity).AsString());
        Assert.Equal("-inf", V.FromDouble(double.NegativeInfinity).AsString());
        Assert.Equal("nan", V.FromDouble(double.NaN).AsString());
        Assert.Equal("123456789012345678901234567890", V.FromBigNumber("123456789012345678901234567890").AsString());
        Assert.Equal("clé 中 😀", V.FromString("clé 中 😀").AsString());
        Assert.Equal("", V.FromString("").AsString());
    }

    [Fact]
    public void AsString_of_a_verbatim_string_drops_the_format_prefix()
    {
        V value = Parse("=15\r\ntxt:Some string\r\n");
        Assert.Equal(RespType.VerbatimString, value.Type);
        Assert.Equal("Some string", value.AsString());
        Assert.Equal("txt", value.VerbatimFormat);
        Assert.Null(V.FromString("x").VerbatimFormat);
    }

    [Fact]
    public void AsString_is_null_for_null_and_default_and_refuses_aggregates()
    {
        Assert.Null(V.Null.AsString());
        Assert.Null(default(V).AsString());
        Assert.Null(Parse("$-1\r\n").AsString()); // RESP2 null bulk string
        AssertCastFails(() => V.FromArray(V.FromInt64(1)).AsString(), "Array", "a string");
        AssertCastFails(() => V.FromMap().AsString(), "Map", "a string");
        AssertCastFails(() => V.FromSet().AsString(), "Set", "a string");
        AssertCastFails(() => V.FromPush().AsString(), "Push", "a string");
    }

    [Fact]
    public void AsInt64_reads_integers_booleans_and_numeric_text()
    {
        Assert.Equal(42, V.FromInt64(42).AsInt64());
        Assert.Equal(long.MinValue, V.FromInt64(long.MinValue).AsInt64());
        Assert.Equal(1, V.FromBoolean(true).AsInt64());
        Assert.Equal(0, V.FromBoolean(false).AsInt64());
        Assert.Equal(123, V.FromString("123").AsInt64());
        Assert.Equal(-7, V.FromSimpleString("-7").AsInt64());
        Assert.Equal(7, V.FromString("+7").AsInt64());
        Assert.Equal(long.MaxValue, V.FromString("9223372036854775807").AsInt64());
        Assert.Equal(long.MinValue, V.FromString("-9223372036854775808").AsInt64());
        Assert.Equal(99, V.FromBigNumber("99").AsInt64());
        Assert.Equal(5, Parse("=5\r\ntxt:5\r\n").AsInt64());
        Assert.Equal(1000, Parse(":1000\r\n").AsInt64());
        Assert.Equal(12, Parse("$2\r\n12\r\n").AsInt64());
    }

    [Fact]
    public void AsInt64_accepts_a_double_only_when_it_is_an_exact_integer_in_range()
    {
        Assert.Equal(3, V.FromDouble(3.0).AsInt64());
        Assert.Equal(-4, V.FromDouble(-4.0).AsInt64());
        Assert.Equal(long.MinValue, V.FromDouble(-9223372036854775808.0).AsInt64()); // -2^63 is representable
        AssertCastFails(() => V.FromDouble(3.5).AsInt64(), "Double", "an integer");
        AssertCastFails(() => V.FromDouble(9223372036854775808.0).AsInt64(), "Double", "an integer"); // 2^63 overflows
        AssertCastFails(() => V.FromDouble(double.PositiveInfinity).AsInt64(), "Double", "an integer");
        AssertCastFails(() => V.FromDouble(double.NegativeInfinity).AsInt64(), "Double", "an integer");
        AssertCastFails(() => V.FromDouble(double.NaN).AsInt64(), "Double", "an integer");
    }

    [Fact]
    public void AsInt64_refuses_non_integers_naming_the_type()
    {
        AssertCastFails(() => V.FromArray(V.FromInt64(1)).AsInt64(), "Array", "an integer");
        AssertCastFails(() => V.FromMap().AsInt64(), "Map", "an integer");
        AssertCastFails(() => V.Null.AsInt64(), "Null", "an integer");
        AssertCastFails(() => default(V).AsInt64(), "None", "an integer");
        AssertCastFails(() => V.FromString("12.0").AsInt64(), "BulkString", "an integer");
        AssertCastFails(() => V.FromString(" 1").AsInt64(), "BulkString", "an integer");
        AssertCastFails(() => V.FromString("").AsInt64(), "BulkString", "an integer");
        AssertCastFails(() => V.FromString("9223372036854775808").AsInt64(), "BulkString", "an integer");
        AssertCastFails(() => V.FromBigNumber("123456789012345678901234567890").AsInt64(), "BigNumber", "an integer");
        AssertCastFails(() => V.FromError("123").AsInt64(), "SimpleError", "an integer"); // an error is never a number
    }

    [Fact]
    public void AsDouble_reads_doubles_integers_booleans_and_numeric_text_including_inf_and_nan()
    {
        Assert.Equal(2.5, V.FromDouble(2.5).AsDouble());
        Assert.Equal(10.0, V.FromInt64(10).AsDouble());
        Assert.Equal(1.0, V.FromBoolean(true).AsDouble());
        Assert.Equal(1500.0, V.FromString("1.5e3").AsDouble());
        Assert.Equal(-0.25, V.FromString("-.25").AsDouble());
        Assert.Equal(3.0, V.FromString("3").AsDouble());
        Assert.Equal(double.PositiveInfinity, V.FromString("inf").AsDouble());
        Assert.Equal(double.PositiveInfinity, V.FromString("+inf").AsDouble());
        Assert.Equal(double.NegativeInfinity, V.FromString("-inf").AsDouble());
        Assert.Equal(double.PositiveInfinity, V.FromString("INF").AsDouble()); // case-insensitive, as Redis prints either
        Assert.True(double.IsNaN(V.FromString("nan").AsDouble()));
        Assert.Equal(double.PositiveInfinity, Parse(",inf\r\n").AsDouble());
        Assert.Equal(double.NegativeInfinity, Parse(",-inf\r\n").AsDouble());
        Assert.True(double.IsNaN(Parse(",nan\r\n").AsDouble()));
        Assert.Equal(0.5, Parse("$3\r\n0.5\r\n").AsDouble()); // ZSCORE in RESP2
    }

    [Fact]
    public void AsDouble_refuses_text_the_BCL_would_accept_but_RESP_does_not()
    {
        // double.Parse alone would take "Infinity", "NaN" and culture symbols; RESP only has inf/-inf/nan.
        AssertCastFails(() => V.FromString("Infinity").AsDouble(), "BulkString", "a double");
        AssertCastFails(() => V.FromString("∞").AsDouble(), "BulkString", "a double");
        AssertCastFails(() => V.FromString("1,5").AsDouble(), "BulkString", "a double");
        AssertCastFails(() => V.FromString("").AsDouble(), "BulkString", "a double");
        AssertCastFails(() => V.FromString("abc").AsDouble(), "BulkString", "a double");
        AssertCastFails(() => V.FromArray().AsDouble(), "Array", "a double");
        AssertCastFails(() => V.Null.AsDouble(), "Null", "a double");
    }

    [Fact]
    public void AsBoolean_takes_booleans_and_integers_zero_or_one_only()
    {
        Assert.True(V.FromBoolean(true).AsBoolean());
        Assert.False(V.FromBoolean(false).AsBoolean());
        Assert.True(V.FromInt64(1).AsBoolean());
        Assert.False(V.FromInt64(0).AsBoolean());
        Assert.True(Parse("#t\r\n").AsBoolean());
        AssertCastFails(() => V.FromInt64(2).AsBoolean(), "Integer", "a boolean");
        AssertCastFails(() => V.FromInt64(-1).AsBoolean(), "Integer", "a boolean");
        AssertCastFails(() => V.FromString("1").AsBoolean(), "BulkString", "a boolean");
        AssertCastFails(() => V.FromDouble(1.0).AsBoolean(), "Double", "a boolean");
        AssertCastFails(() => V.Null.AsBoolean(), "Null", "a boolean");
    }

    [Fact]
    public void AsBytes_returns_a_copy_of_the_payload_or_the_text_of_a_number()
    {
        V value = V.FromBytes([0, 1, 0xFF]);
        byte[] first = value.AsBytes()!;
        Assert.Equal(new byte[] { 0, 1, 0xFF }, first);
        first[0] = 42; // a copy: the value itself must not change
        Assert.Equal(new byte[] { 0, 1, 0xFF }, value.AsBytes());
        Assert.Equal("42"u8.ToArray(), V.FromInt64(42).AsBytes());
        Assert.Equal("true"u8.ToArray(), V.FromBoolean(true).AsBytes());
        Assert.Equal("inf"u8.ToArray(), V.FromDouble(double.PositiveInfinity).AsBytes());
        Assert.Equal("hi"u8.ToArray(), Parse("=6\r\ntxt:hi\r\n").AsBytes());
        Assert.Null(V.Null.AsBytes());
        Assert.Null(default(V).AsBytes());
        AssertCastFails(() => V.FromArray(V.FromInt64(1)).AsBytes(), "Array", "bytes");
        AssertCastFails(() => V.FromMap().AsBytes(), "Map", "bytes");
    }

    [Fact]
    public void AsMemory_exposes_string_payloads_without_copying_and_refuses_numbers()
    {
        V value = V.FromString("abc");
        ReadOnlyMemory<byte> memory = value.AsMemory();
        Assert.True("abc"u8.SequenceEqual(memory.Span));
        // Same backing array on each call: no copy is made.
        Assert.True(memory.Span == value.AsMemory().Span);
        Assert.True(V.Null.AsMemory().IsEmpty);
        Assert.True(default(V).AsMemory().IsEmpty);
        Assert.True(V.FromString("").AsMemory().IsEmpty);
        AssertCastFails(() => V.FromInt64(1).AsMemory(), "Integer", "bytes");
        AssertCastFails(() => V.FromDouble(1).AsMemory(), "Double", "bytes");
        AssertCastFails(() => V.FromBoolean(true).AsMemory(), "Boolean", "bytes");
        AssertCastFails(() => V.FromArray().AsMemory(), "Array", "bytes");
    }

    [Fact]
    public void AsArray_and_AsSpan_give_the_elements_and_are_empty_for_scalars()
    {
        V array = Parse("*3\r\n$1\r\na\r\n:2\r\n_\r\n");
        Assert.Equal(3, array.Count);
        Assert.Equal([V.FromString("a"), V.FromInt64(2), V.Null], array.AsArray());
        Assert.Equal([V.FromString("a"), V.FromInt64(2), V.Null], array.AsSpan().ToArray());
        Assert.Equal(V.FromInt64(2), array[1]);
        // A map's elements alternate key, value.
        V map = Parse("%1\r\n+k\r\n:9\r\n");
        Assert.Equal([V.FromSimpleString("k"), V.FromInt64(9)], map.AsArray());
        Assert.Empty(V.FromString("x").AsArray());
        Assert.True(V.FromInt64(1).AsSpan().IsEmpty);
        Assert.Empty(V.Null.AsArray());
        Assert.Equal(0, V.FromString("abc").Count);
        Assert.Throws<IndexOutOfRangeException>(() => array[3]);
    }

    [Fact]
    public void AsArray_is_read_only()
    {
        var list = (IList<V>)V.FromArray(V.FromInt64(1)).AsArray();
        Assert.True(list.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => list[0] = V.Null);
    }

    [Fact]
    public void AsMap_reads_a_RESP3_map_and_a_RESP2_flat_array_alike()
    {
        V resp3 = Parse("%2\r\n+first\r\n:1\r\n+second\r\n$2\r\nv2\r\n");
        V resp2 = Parse("*4\r\n$5\r\nfirst\r\n:1\r\n$6\r\nsecond\r\n$2\r\nv2\r\n");
        foreach (V value in new[] { resp3, resp2 })
        {
            IReadOnlyDictionary<string, V> map = value.AsMap();
            Assert.Equal(2, map.Count);
            Assert.Equal(1, map["first"].AsInt64());
            Assert.Equal("v2", map["second"].AsString());
        }
        Assert.Empty(V.FromArray().AsMap());
        Assert.Empty(V.FromMap().AsMap());
        // Sets and pushes of even length are accepted like arrays; keys compare ordinally.
        Assert.Equal("b", V.FromSet(V.FromString("a"), V.FromString("b")).AsMap()["a"].AsString());
        Assert.False(resp3.AsMap().ContainsKey("FIRST"));
        // An attribute map converts too.
        Assert.Equal(3600, V.FromAttribute(V.FromSimpleString("ttl"), V.FromInt64(3600)).AsMap()["ttl"].AsInt64());
    }

    [Fact]
    public void AsMap_keys_use_their_text_and_a_repeated_key_keeps_its_last_value()
    {
        IReadOnlyDictionary<string, V> map = V.FromMap(V.FromInt64(1), V.FromString("a"), V.FromString("1"), V.FromString("b")).AsMap();
        Assert.Single(map);
        Assert.Equal("b", map["1"].AsString());
    }

    [Fact]
    public void AsMap_refuses_odd_arrays_scalars_and_null_keys()
    {
        AssertCastFails(() => V.FromArray(V.FromString("a"), V.FromInt64(1), V.FromString("b")).AsMap(), "Array", "a map");
        AssertCastFails(() => Parse("*1\r\n+k\r\n").AsMap(), "Array", "a map");
        AssertCastFails(() => V.FromString("k").AsMap(), "BulkString", "a map");
        AssertCastFails(() => V.FromInt64(1).AsMap(), "Integer", "a map");
        AssertCastFails(() => V.Null.AsMap(), "Null", "a map");
        // A null key has no text: the map is refused with the reason.
        AssertCastFails(() => V.FromMap(V.Null, V.FromInt64(1)).AsMap(), "Map", "a map with non-null keys");
        // An aggregate key has no text either: the key's own conversion refuses it.
        AssertCastFails(() => V.FromMap(V.FromArray(), V.FromInt64(1)).AsMap(), "Array", "a string");
    }

    [Fact]
    public void Null_covers_RESP3_null_and_the_RESP2_null_bulk_and_array()
    {
        foreach (string wire in new[] { "_\r\n", "$-1\r\n", "*-1\r\n" })
        {
            V value = Parse(wire);
            Assert.True(value.IsNull, wire);
            Assert.Equal(RespType.Null, value.Type);
            Assert.Equal(V.Null, value);
            Assert.False(value.IsAggregate);
            Assert.Equal(0, value.Count);
        }
        Assert.True(V.FromString(null).IsNull);
        Assert.False(default(V).IsNull); // default is None, not Null
        Assert.Equal(RespType.None, default(V).Type);
    }

    [Fact]
    public void Type_predicates_follow_the_type()
    {
        Assert.True(V.FromError("ERR").IsError);
        Assert.True(V.FromError("ERR", bulk: true).IsError);
        Assert.Equal(RespType.BulkError, V.FromError("ERR", bulk: true).Type);
        Assert.False(V.FromString("ERR").IsError);
        Assert.True(V.FromArray().IsAggregate);
        Assert.True(V.FromMap().IsAggregate);
        Assert.True(V.FromSet().IsAggregate);
        Assert.True(V.FromPush().IsAggregate);
        Assert.True(V.FromAttribute().IsAggregate);
        Assert.False(V.FromString("x").IsAggregate);
    }

    [Fact]
    public void Explicit_operators_match_the_As_methods()
    {
        Assert.Equal("5", (string?)V.FromInt64(5));
        Assert.Equal(5L, (long)V.FromString("5"));
        Assert.Equal(2.5, (double)V.FromString("2.5"));
        Assert.True((bool)V.FromInt64(1));
        Assert.Equal("ab"u8.ToArray(), (byte[]?)V.FromString("ab"));
        Assert.Null((string?)V.Null);
        Assert.Throws<InvalidCastException>(() => (long)V.FromArray());
    }

    [Fact]
    public void Factories_validate_their_input()
    {
        Assert.Throws<ArgumentException>(() => V.FromMap(V.FromString("k")));
        Assert.Throws<ArgumentException>(() => V.FromAttribute(V.FromString("k")));
        Assert.Throws<ArgumentException>(() => V.FromVerbatim("text", "x"));
        Assert.Throws<ArgumentException>(() => V.FromVerbatim("tx", "x"));
        Assert.Throws<ArgumentException>(() => V.FromString("x").WithAttributes(V.FromArray()));
        // Factories copy their input: changing the source afterwards changes nothing.
        byte[] source = [1, 2];
        V bytes = V.FromBytes(source);
        source[0] = 9;
        Assert.Equal(new byte[] { 1, 2 }, bytes.AsBytes());
    }

    [Fact]
    public void Equality_is_structural_over_type_payload_elements_and_attributes()
    {
        Assert.Equal(V.FromString("a"), V.FromBytes("a"u8));
        Assert.True(V.FromString("a") == V.FromBytes("a"u8));
        Assert.NotEqual(V.FromString("a"), V.FromSimpleString("a")); // same text, different type
        Assert.NotEqual(V.FromInt64(1), V.FromBoolean(true));
        Assert.NotEqual(V.FromInt64(1), V.FromDouble(1));
        Assert.True(V.FromInt64(1) != V.FromInt64(2));
        Assert.Equal(V.FromArray(V.FromInt64(1), V.FromString("x")), V.FromArray(V.FromInt64(1), V.FromString("x")));
        Assert.NotEqual(V.FromArray(V.FromInt64(1), V.FromInt64(2)), V.FromArray(V.FromInt64(2), V.FromInt64(1)));
        Assert.NotEqual(V.FromArray(V.FromInt64(1)), V.FromSet(V.FromInt64(1)));
        Assert.NotEqual(V.FromArray(), V.Null);
        Assert.Equal(V.FromVerbatim("txt", "x"), V.FromVerbatim("txt", "x"));
        Assert.NotEqual(V.FromVerbatim("txt", "x"), V.FromVerbatim("mkd", "x"));

        V plain = V.FromInt64(7);
        V annotated = plain.WithAttributes(V.FromAttribute(V.FromSimpleString("ttl"), V.FromInt64(1)));
        Assert.NotEqual(plain, annotated);
        Assert.Equal(annotated, V.FromInt64(7).WithAttributes(V.FromMap(V.FromSimpleString("ttl"), V.FromInt64(1))));
        Assert.Equal(V.FromAttribute(V.FromSimpleString("ttl"), V.FromInt64(1)), annotated.Attributes);
        Assert.Null(plain.Attributes);

        Assert.True(V.FromInt64(1).Equals((object)V.FromInt64(1)));
        Assert.False(V.FromInt64(1).Equals((object)1L));
        Assert.False(V.FromInt64(1).Equals(null));
    }

    [Fact]
    public void Nan_equals_nan_and_equal_values_hash_alike()
    {
        V nan = V.FromDouble(double.NaN);
        V otherNan = V.FromDouble(BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0001)); // a NaN with other bits
        Assert.Equal(nan, otherNan);
        Assert.Equal(nan.GetHashCode(), otherNan.GetHashCode());
        Assert.Equal(V.FromString("abc").GetHashCode(), V.FromBytes("abc"u8).GetHashCode());
        Assert.Equal(Parse("*2\r\n:1\r\n:2\r\n").GetHashCode(), V.FromArray(V.FromInt64(1), V.FromInt64(2)).GetHashCode());
        // Usable as a hash key: equal values collapse, different types do not.
        var set = new HashSet<V> { V.FromString("a"), V.FromBytes("a"u8), V.FromSimpleString("a") };
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void ToString_renders_a_readable_debug_form()
    {
        Assert.Equal("\"OK\"", V.FromSimpleString("OK").ToString());
        Assert.Equal("\"bar\"", V.FromString("bar").ToString());
        Assert.Equal("(integer) 1", V.FromInt64(1).ToString());
        Assert.Equal("(double) 1.5", V.FromDouble(1.5).ToString());
        Assert.Equal("(double) -inf", V.FromDouble(double.NegativeInfinity).ToString());
        Assert.Equal("(true)", V.FromBoolean(true).ToString());
        Assert.Equal("(false)", V.FromBoolean(false).ToString());
        Assert.Equal("(nil)", V.Null.ToString());
        Assert.Equal("(none)", default(V).ToString());
        Assert.Equal("(error) ERR x", V.FromError("ERR x").ToString());
        Assert.Equal("(big number) 12", V.FromBigNumber("12").ToString());
        Assert.Equal("(verbatim txt) \"hi\"", V.FromVerbatim("txt", "hi").ToString());
        Assert.Equal("[\"a\", (integer) 2]", V.FromArray(V.FromString("a"), V.FromInt64(2)).ToString());
        Assert.Equal("{\"k\": \"v\", \"k2\": (nil)}", V.FromMap(V.FromString("k"), V.FromString("v"), V.FromString("k2"), V.Null).ToString());
        Assert.Equal("~{(integer) 1}", V.FromSet(V.FromInt64(1)).ToString());
        Assert.Equal(">[\"message\"]", V.FromPush(V.FromString("message")).ToString());
        Assert.Equal("[]", V.FromArray().ToString());
        Assert.Equal("|attrs {\"ttl\": (integer) 5}| (integer) 1",
            V.FromInt64(1).WithAttributes(V.FromAttribute(V.FromString("ttl"), V.FromInt64(5))).ToString());
    }

    [Fact]
    public void ToString_of_a_very_deep_value_is_cut_off_instead_of_recursing_without_bound()
    {
        V value = V.FromInt64(0);
        for (int i = 0; i < 100; i++) value = V.FromArray(value);
        string text = value.ToString();
        Assert.Contains("...", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(integer) 0", text, StringComparison.Ordinal);
    }
}
