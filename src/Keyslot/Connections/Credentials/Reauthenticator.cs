using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Keyslot.Connections;

/// <summary>
/// Sends each new credential to the client's live connections (<c>AUTH</c>, pipelined like any command, so commands
/// in flight are undisturbed), before the one they authenticated with expires. A refused or lost AUTH is logged and
/// retried with backoff until it succeeds, a newer credential supersedes it or the connection closes; meanwhile the
/// connection goes on serving commands with its current authentication, until the server says otherwise.
/// </summary>
/// <remarks>
/// Skipped: subscriber connections (in RESP2's subscribed state the server refuses AUTH; in RESP3 their replies are
/// matched to (un)subscribe commands by the pub/sub hub, which an extra AUTH reply would confuse) and blocking
/// connections while a blocking command holds them (the AUTH reply would queue behind it past the command timeout), and
/// connections retiring at their maximum age (they refuse new commands; their successor has the new credential).
/// Redis checks a password only when it is presented, so a skipped connection stays authenticated; it takes the
/// latest credential when it is made again.
/// </remarks>
internal sealed class Reauthenticator : IDisposable
{
    private readonly CredentialCache _credentials;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<NodeConnection, byte> _live = new();
    private readonly CancellationTokenSource _stopping = new();

    public Reauthenticator(CredentialCache credentials, ILogger logger)
    {
        _credentials = credentials;
        _logger = logger;
        credentials.Refreshed += OnRefreshed;
    }

    /// <summary>Re-authentications that succeeded (tests read it).</summary>
    public long Succeeded => Interlocked.Read(ref _succeeded);

    private long _succeeded;

    /// <summary>Follows a connection from its handshake until it closes; one made just before a refresh is brought up to date at once.</summary>
    public void Track(NodeConnection connection)
    {
        _live.TryAdd(connection, 0);
        if (!connection.IsHealthy)
        {
            _live.TryRemove(connection, out _);
            return;
        }
        if (_credentials.Current is { Refused: false } latest && connection.CredentialVersion < latest.Version && ShouldReauthenticate(connection))
        {
            _ = ReauthenticateAsync(connection, latest);
        }
    }

    public void Forget(NodeConnection connection) => _live.TryRemove(connection, out _);

    private void OnRefreshed(IssuedCredential credential)
    {
        foreach (NodeConnection connection in _live.Keys)
        {
            if (!connection.IsHealthy)
            {
                _live.TryRemove(connection, out _);
                continue;
            }
            if (connection.CredentialVersion < credential.Version && ShouldReauthenticate(connection)) _ = ReauthenticateAsync(connection, credential);
        }
    }

    private static bool ShouldReauthenticate(NodeConnection connection) => connection.IsRetiring ? false : connection.Role switch
    {
        ConnectionRole.Subscriber => false,
        ConnectionRole.Blocking => connection.InFlight == 0,
        _ => true,
    };

    /// <summary>One connection: AUTH until accepted, superseded, closed or the client stops. Never throws.</summary>
    private async Task ReauthenticateAsync(NodeConnection connection, IssuedCredential credential)
    {
        for (int attempt = 1; ; attempt++)
        {
            if (_stopping.IsCancellationRequested || !connection.IsHealthy) return;
            if (connection.CredentialVersion >= credential.Version || _credentials.Current?.Version > credential.Version) return; // a newer one has its own pass
            try
            {
                await connection.SendDirectAsync(Handshake.BuildAuth(credential), WholeReply.Parser, _stopping.Token).ConfigureAwait(false);
                connection.CredentialVersion = Math.Max(connection.CredentialVersion, credential.Version);
                Interlocked.Increment(ref _succeeded);
                return;
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                // Closed or retired meanwhile (maximum age): its successor authenticates in its handshake.
                if (!connection.IsHealthy || connection.IsRetiring) return;
                Log.ReauthenticationFailed(_logger, connection.Role, connection.Endpoint, credential.Version, attempt, ex.Message);
            }
            catch
            {
                return; // the client is stopping
            }
            try
            {
                await Task.Delay(CredentialSchedule.RetryAfterFailure(attempt), _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _credentials.Refreshed -= OnRefreshed;
        _stopping.Cancel(); // not disposed: a pass still running reads its token
        _live.Clear();
    }
}
