using System.Text;
using Keyslot.Slots;

namespace Keyslot.Tests.Slots;

/// <summary>
/// A key given as text lands in the slot of its UTF-8 bytes, whichever road computes it: the hashtag cut on the
/// characters, the ASCII road for short parts, the encoding road for the rest.
/// </summary>
public sealed class TextKeySlotTests
{
    public static TheoryData<string> Keys() =>
    [
        "", "foo", "ks:12345", "123456789", "{user1000}.following", "{user1000}.followers", "foo{}{bar}", "foo{{bar}}zap",
        "foo{bar}{zap}", "{}", "{", "}", "a}b{c", "exactly-15-char", "exactly-16-chars", "a key longer than sixteen characters",
        "clé", "{clé}suffix", "prefix{clé}", "日本語のキー", "{日本}語", "emoji 😀 key", "{😀}", "\u00FF", "\u007F\u0080",
        "lone \uD800 surrogate", "{\uDC00}", new string('x', 300), new string('é', 200) + "{tag}", "{" + new string('日', 100) + "}",
    ];

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_text_key_hashes_like_its_UTF8_bytes(string key)
    {
        Assert.Equal(HashSlot.Of(Encoding.UTF8.GetBytes(key)), HashSlot.Of(key));
    }

    [Fact]
    public void Known_slots_of_the_cluster_specification()
    {
        Assert.Equal(12182, HashSlot.Of("foo"));
        Assert.Equal(HashSlot.Of("user1000"), HashSlot.Of("{user1000}.following"));
        Assert.Equal(HashSlot.Of("bar"), HashSlot.Of("foo{bar}{zap}"));
        Assert.Equal(HashSlot.Of("foo{}{bar}"u8), HashSlot.Of("foo{}{bar}"));
    }

    [Fact]
    public void Random_text_keys_of_every_length_hash_like_their_bytes()
    {
        var rng = new Random(4242);
        char[] alphabet = ['a', 'Z', '0', ':', '{', '}', ' ', '\u007F', 'é', '日', '\uD83D', '\uDE00'];
        for (int length = 0; length <= 40; length++)
        {
            for (int trial = 0; trial < 50; trial++)
            {
                var chars = new char[length];
                for (int i = 0; i < length; i++) chars[i] = alphabet[rng.Next(trial % 2 == 0 ? 7 : alphabet.Length)];
                string key = new(chars);
                Assert.Equal(HashSlot.Of(Encoding.UTF8.GetBytes(key)), HashSlot.Of(key));
            }
        }
    }
}
