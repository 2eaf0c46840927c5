namespace Keyslot.Connections;

/// <summary>Which credential a connection authenticated with, so that a newer one can be sent to it (AUTH) and an older one is not.</summary>
internal sealed partial class NodeConnection
{
    private long _credentialVersion;

    /// <summary><see cref="IssuedCredential.Version"/> of the credential this connection last authenticated with (0: the fixed password, or none).</summary>
    public long CredentialVersion
    {
        get => Volatile.Read(ref _credentialVersion);
        set => Volatile.Write(ref _credentialVersion, value);
    }
}
