using System.Runtime.CompilerServices;
using Keyslot.Protocol;

namespace Keyslot.Routing;

/// <summary>Stack space for a <see cref="CommandBuilder"/> (arguments hold references, so <c>stackalloc</c> cannot be used).</summary>
[InlineArray(16)]
internal struct ArgumentScratch
{
    private RedisArgument _first;
}
