namespace Keyslot;

/// <summary>A command sent to several nodes failed on some of them; <see cref="Replies"/> says which and why.</summary>
public sealed class RedisFanOutException : RedisException
{
    /// <summary>Creates the exception.</summary>
    public RedisFanOutException(string command, IReadOnlyList<NodeReply> replies)
        : base($"{command} failed on {replies.Count(r => !r.Succeeded)} of {replies.Count} node(s): " +
               string.Join("; ", replies.Where(r => !r.Succeeded).Select(r => $"{r.Node}: {r.Error!.Message}")),
               replies.FirstOrDefault(r => !r.Succeeded)?.Error)
    {
        Command = command;
        Replies = replies;
    }

    /// <summary>The command's name.</summary>
    public string Command { get; }

    /// <summary>Every node's reply or error.</summary>
    public IReadOnlyList<NodeReply> Replies { get; }
}
