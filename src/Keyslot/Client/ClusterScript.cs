using System.Security.Cryptography;
using System.Text;
using Keyslot.Protocol;

namespace Keyslot;

/// <summary>
/// A Lua script to run many times: it is sent by its SHA1 (<c>EVALSHA</c>) and, where a node does not have it (after
/// a failover, a <c>SCRIPT FLUSH</c>, or on a node that never saw it), once in full (<c>EVAL</c>, which also loads
/// it there), transparently. Routed by its keys like any command. Create one per script and share it.
/// </summary>
public sealed class ClusterScript
{
    /// <summary>Creates a script from its Lua source.</summary>
    public ClusterScript(string source, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        Source = source;
        ReadOnly = readOnly;
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
    }

    /// <summary>The Lua source.</summary>
    public string Source { get; }

    /// <summary>The SHA1 the server knows the script by.</summary>
    public string Sha1 { get; }

    /// <summary>True to run it with EVALSHA_RO/EVAL_RO (Redis 7+), so it may run on replicas and never writes.</summary>
    public bool ReadOnly { get; }

    /// <summary>Runs the script with <paramref name="keys"/> (which must share one slot) and <paramref name="args"/>.</summary>
    public async ValueTask<RespValue> EvaluateAsync(IClusterClient client, RedisKey[]? keys = null, RedisArgument[]? args = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        keys ??= [];
        args ??= [];
        try
        {
            return await client.ExecuteAsync(ReadOnly ? "EVALSHA_RO" : "EVALSHA", Arguments(Sha1, keys, args), cancellationToken).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Kind == RedisErrorKind.NoScript)
        {
            return await client.ExecuteAsync(ReadOnly ? "EVAL_RO" : "EVAL", Arguments(Source, keys, args), cancellationToken).ConfigureAwait(false);
        }
    }

    private static RedisArgument[] Arguments(string script, RedisKey[] keys, RedisArgument[] args)
    {
        var all = new RedisArgument[2 + keys.Length + args.Length];
        all[0] = script;
        all[1] = keys.Length;
        for (int i = 0; i < keys.Length; i++) all[2 + i] = keys[i];
        args.CopyTo(all, 2 + keys.Length);
        return all;
    }
}
