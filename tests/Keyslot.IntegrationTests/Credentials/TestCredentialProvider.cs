namespace Keyslot.IntegrationTests.Credentials;

/// <summary>
/// A stand-in for a token service: hands out the password it is set to, valid for <see cref="Lifetime"/>; counts its
/// calls and can be told to fail chosen ones, or every one.
/// </summary>
internal sealed class TestCredentialProvider(string user, string password, TimeSpan lifetime)
{
    private volatile string _password = password;
    private int _calls;
    private int _servedCurrent;

    public TimeSpan Lifetime { get; } = lifetime;

    /// <summary>Calls (1-based) that throw instead of answering.</summary>
    public HashSet<int> FailingCalls { get; } = [];

    public bool AlwaysFail { get; init; }

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>True once the password set last has been handed out.</summary>
    public bool ServedCurrent => Volatile.Read(ref _servedCurrent) == 1;

    public string Password
    {
        get => _password;
        set
        {
            Volatile.Write(ref _servedCurrent, 0);
            _password = value;
        }
    }

    public ValueTask<RedisCredential> GetAsync(CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _calls);
        bool fail;
        lock (FailingCalls) fail = AlwaysFail || FailingCalls.Contains(call);
        if (fail) throw new InvalidOperationException($"token service down (call {call})");
        string handed = _password;
        var credential = new RedisCredential(user, handed, DateTimeOffset.UtcNow + Lifetime);
        if (ReferenceEquals(handed, _password)) Volatile.Write(ref _servedCurrent, 1);
        return ValueTask.FromResult(credential);
    }

    /// <summary>Options for <paramref name="configuration"/> with this provider instead of the configured password.</summary>
    public ClusterOptions Options(string configuration, TimeSpan margin)
    {
        ClusterOptions options = ClusterOptions.Parse(configuration);
        options.User = null;
        options.Password = null; // the cluster's default password: the provider's user is used instead
        options.CredentialProvider = GetAsync;
        options.CredentialRefreshMargin = margin;
        return options;
    }
}
