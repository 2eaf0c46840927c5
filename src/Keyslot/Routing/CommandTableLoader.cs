using System.Diagnostics;
using Keyslot.Connections;
using Keyslot.Protocol;
using Microsoft.Extensions.Logging;

namespace Keyslot.Routing;

/// <summary>
/// Keeps the command table routing uses: the built-in one until the server's own (<c>COMMAND</c>) has been read, which
/// happens after the first topology arrives (at connect, or from a later refresh when the client started without one).
/// A failed or unusable load keeps the built-in table and is tried again at most once a minute.
/// </summary>
internal sealed class CommandTableLoader
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMinutes(1);

    private readonly Func<NodeConnector?> _anyPrimary;
    private readonly ILogger _logger;
    private readonly object _sync = new();
    private Task? _load;
    private long _attemptedAt;
    private volatile bool _fromServer;

    /// <param name="anyPrimary">A primary to ask, or null when none is known yet.</param>
    /// <param name="logger">Where the outcome is logged.</param>
    public CommandTableLoader(Func<NodeConnector?> anyPrimary, ILogger logger)
    {
        _anyPrimary = anyPrimary;
        _logger = logger;
    }

    /// <summary>The table in use now.</summary>
    public CommandTable Commands { get; private set; } = CommandTable.BuiltIn;

    /// <summary>True once the server's table is in use.</summary>
    public bool FromServer => _fromServer;

    /// <summary>Starts loading unless the server's table is loaded or loading, or the last attempt failed less than a minute ago.</summary>
    public Task EnsureLoadedAsync()
    {
        lock (_sync)
        {
            if (_fromServer) return Task.CompletedTask;
            if (_load is { IsCompleted: false } loading) return loading;
            if (_load is not null && Stopwatch.GetElapsedTime(_attemptedAt) < RetryInterval) return _load;
            _attemptedAt = Stopwatch.GetTimestamp();
            // Started on the thread pool: its first steps (connect, write) must not run under the caller's locks.
            return _load = BackgroundWork.Run(LoadAsync);
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            NodeConnector? node = _anyPrimary();
            if (node is null) return;
            RespValue reply = await node.SendDirectAsync(RespCommand.Create("COMMAND"), WholeReply.Parser, CancellationToken.None).ConfigureAwait(false);
            Commands = CommandTable.FromCommandReply(reply);
            _fromServer = true;
            Log.CommandTableLoaded(_logger, Commands.Count);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            Log.CommandTableFallback(_logger, ex.Message); // the built-in table stays in use
        }
    }
}
