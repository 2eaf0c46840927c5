namespace Keyslot.Tests.Protocol;

public sealed class RedisKeyTests
{
    [Theory]
    [InlineData("session:42")]
    [InlineData("")]
    [InlineData("clé-中文-🔑")]
    public void A_text_key_and_the_same_key_as_bytes_are_equal_and_hash_alike(string text)
    {
        RedisKey asText = text;
        RedisKey asBytes = System.Text.Encoding.UTF8.GetBytes(text);
        Assert.Equal(asText, asBytes);
        Assert.Equal(asText.GetHashCode(), asBytes.GetHashCode());
        Assert.Equal(asText.ToArray(), asBytes.ToArray());
    }

    [Fact]
    public void A_long_text_key_hashes_like_its_bytes_too()
    {
        string text = new('k', 1_000); // beyond the stack buffer
        Assert.Equal(((RedisKey)text).GetHashCode(), ((RedisKey)System.Text.Encoding.UTF8.GetBytes(text)).GetHashCode());
    }

    [Fact]
    public void Binary_keys_keep_their_exact_bytes()
    {
        byte[] bytes = [0xC3, 0x28, 0x00, 0xFF];
        RedisKey key = bytes;
        Assert.Equal(bytes, key.ToArray());
        Assert.False(key.IsText);
        Assert.NotEqual(key, (RedisKey)System.Text.Encoding.UTF8.GetString(bytes)); // decoding would have changed it
    }
}
