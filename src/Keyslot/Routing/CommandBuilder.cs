using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>
/// Collects the arguments of a command whose length depends on options (SET with EX/NX/GET, DEL with many keys)
/// in caller-provided stack space, then builds the <see cref="RespCommand"/>. Keys are checked to share one slot.
/// </summary>
internal ref struct CommandBuilder
{
    private readonly Span<RedisArgument> _scratch;
    private RedisArgument[]? _overflow;
    private int _count;
    private int _slot;
    private int _otherSlot;

    public CommandBuilder(Span<RedisArgument> scratch)
    {
        _scratch = scratch;
        _slot = KeySlot.None;
        _otherSlot = KeySlot.None;
    }

    /// <summary>The slot of the keys added so far, or <see cref="KeySlot.None"/>.</summary>
    public readonly int Slot => _slot;

    public void Add(RedisArgument argument)
    {
        if (_overflow is null && _count < _scratch.Length)
        {
            _scratch[_count++] = argument;
            return;
        }
        if (_overflow is null)
        {
            _overflow = new RedisArgument[Math.Max(16, _scratch.Length * 2)];
            _scratch[.._count].CopyTo(_overflow);
        }
        else if (_count == _overflow.Length)
        {
            Array.Resize(ref _overflow, _overflow.Length * 2);
        }
        _overflow[_count++] = argument;
    }

    /// <summary>Adds a key and records its slot; keys in different slots fail in <see cref="Build"/>.</summary>
    public void AddKey(RedisKey key)
    {
        int slot = KeySlot.Of(key);
        if (_slot == KeySlot.None) _slot = slot;
        else if (slot != _slot && _otherSlot == KeySlot.None) _otherSlot = slot;
        Add(key);
    }

    /// <summary>Builds the command; throws <see cref="RedisCrossSlotException"/> before anything is sent when keys span slots.</summary>
    public readonly RespCommand Build(string name)
    {
        if (_otherSlot != KeySlot.None)
        {
            throw new RedisCrossSlotException(name, _slot, _otherSlot);
        }
        ReadOnlySpan<RedisArgument> args = _overflow is null ? _scratch[.._count] : _overflow.AsSpan(0, _count);
        return RespCommand.Create(name, args);
    }
}
