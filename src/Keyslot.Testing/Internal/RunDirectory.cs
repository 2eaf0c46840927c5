using System.Globalization;

namespace Keyslot.Testing.Internal;

/// <summary>
/// The directory of one cluster run: <c>&lt;root&gt;/&lt;run-id&gt;/</c> holding <c>owner.pid</c> (the test
/// process) and one sub-directory per node port.
/// </summary>
internal sealed class RunDirectory
{
    public const string OwnerFileName = "owner.pid";

    private RunDirectory(string path) => Path = path;

    public string Path { get; }

    public static string DefaultRoot => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "keyslot-clusters");

    public static RunDirectory Create(string root)
    {
        Directory.CreateDirectory(root);
        var runId = string.Create(
            CultureInfo.InvariantCulture,
            $"{Environment.ProcessId}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}");
        var path = System.IO.Path.Combine(root, runId);
        Directory.CreateDirectory(path);
        File.WriteAllText(System.IO.Path.Combine(path, OwnerFileName), OwnerStamp.Current());
        return new RunDirectory(path);
    }

    public string CreateNodeDirectory(int port)
    {
        var dir = System.IO.Path.Combine(Path, port.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }

        Directory.CreateDirectory(dir);
        return dir;
    }

    public void Delete()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a later sweep removes what is left.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
