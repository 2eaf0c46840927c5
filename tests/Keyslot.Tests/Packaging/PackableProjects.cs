using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Keyslot.Tests.Packaging;

/// <summary>
/// The repository's packages as the source tree declares them: every src/*/*.csproj that sets IsPackable to true, so a
/// new package is checked without anyone listing it here.
/// </summary>
internal static partial class PackableProjects
{
    /// <summary>The repository root: the directory holding ClusterClient.sln above the test's output directory.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The configuration this test assembly was built in; the packages are packed from the same build.</summary>
    public static string Configuration { get; } =
        typeof(PackableProjects).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
        ?? throw new InvalidOperationException("The test assembly has no AssemblyConfigurationAttribute.");

    /// <summary>Paths, relative to <see cref="RepositoryRoot"/>, of every packable project under src.</summary>
    public static IReadOnlyList<string> All()
    {
        string src = Path.Combine(RepositoryRoot, "src");
        return Directory.EnumerateDirectories(src)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*.csproj"))
            .Where(csproj => IsPackable().IsMatch(File.ReadAllText(csproj)))
            .Select(csproj => Path.GetRelativePath(RepositoryRoot, csproj))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The RepositoryUrl that Directory.Build.props declares: what every nuspec and PDB must point at.</summary>
    public static Uri DeclaredRepositoryUrl()
    {
        XDocument props = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props"));
        string? url = props.Descendants("RepositoryUrl").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0);
        Assert.False(url is null, "Directory.Build.props declares no RepositoryUrl: packages would have no repository and PDBs no SourceLink.");
        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttps, $"RepositoryUrl '{url}' is not an https URL.");
        return uri;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClusterClient.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No ClusterClient.sln above {AppContext.BaseDirectory}.");
    }

    // Only this exact opt-in counts, as Directory.Build.props documents it; anything else is not a package.
    [GeneratedRegex(@"<IsPackable>\s*true\s*</IsPackable>", RegexOptions.IgnoreCase)]
    private static partial Regex IsPackable();
}
