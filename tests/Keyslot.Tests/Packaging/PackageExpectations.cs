using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Keyslot.Tests.Packaging;

/// <summary>
/// What every Keyslot package must carry (issue 14): README, license expression, repository metadata, XML docs next
/// to each assembly, and a symbol package whose portable PDBs map the sources to the repository through SourceLink.
/// Each check adds a readable problem instead of throwing, so one run lists everything a package lacks.
/// </summary>
internal static partial class PackageExpectations
{
    public static void Nuspec(NuGetPackage package, Uri repository, List<string> problems)
    {
        XElement? license = package.Element("license");
        if (license?.Attribute("type")?.Value != "expression" || license.Value != "MIT")
        {
            problems.Add($"the nuspec has no MIT license expression (found: {license?.ToString() ?? "none"})");
        }

        string? readme = package.Element("readme")?.Value;
        byte[]? readmeBytes = readme is null ? null : package.Read(readme.Replace('\\', '/'));
        if (readmeBytes is null || Encoding.UTF8.GetString(readmeBytes).Trim().Length == 0)
        {
            problems.Add($"the nuspec names no readme, or the package lacks it or it is empty (readme: {readme ?? "none"})");
        }

        XElement? repo = package.Element("repository");
        if (repo?.Attribute("type")?.Value != "git" || repo.Attribute("url")?.Value != repository.OriginalString
            || !Commit().IsMatch(repo.Attribute("commit")?.Value ?? ""))
        {
            problems.Add($"the nuspec's repository is not type git, url {repository}, a commit (found: {repo?.ToString() ?? "none"})");
        }
    }

    /// <summary>Checks each lib/&lt;tfm&gt;/X.dll: X.xml beside it and X.pdb in the symbol package; returns each assembly with its PDB (null when missing).</summary>
    public static List<(string Dll, byte[]? Pdb)> AssembliesWithDocsAndSymbols(NuGetPackage package, NuGetPackage symbols, List<string> problems)
    {
        var assemblies = package.EntryNames.Where(n => n.StartsWith("lib/", StringComparison.Ordinal) && n.EndsWith(".dll", StringComparison.Ordinal)).ToList();
        if (assemblies.Count == 0)
        {
            problems.Add("the package has no lib/<tfm>/*.dll");
        }
        var found = new List<(string Dll, byte[]? Pdb)>(assemblies.Count);
        foreach (string dll in assemblies)
        {
            string stem = dll[..^".dll".Length];
            byte[]? xml = package.Read(stem + ".xml");
            string name = Path.GetFileName(stem);
            XElement? doc = xml is null ? null : XDocument.Load(new MemoryStream(xml)).Root;
            if (doc?.Element("assembly")?.Element("name")?.Value != name || doc.Element("members")?.Elements("member").Any() != true)
            {
                problems.Add($"{stem}.xml, the XML documentation of {dll}, is missing or documents nothing");
            }
            byte[]? pdb = symbols.Read(stem + ".pdb");
            if (pdb is null)
            {
                problems.Add($"the symbol package has no {stem}.pdb for {dll}");
            }
            found.Add((dll, pdb));
        }
        return found;
    }

    /// <summary>The PDB is portable, belongs to the assembly, and every document is SourceLinked to the repository or embedded.</summary>
    public static void SourceLink(string dll, byte[] assembly, byte[] pdbBytes, Uri repository, string repositoryRoot, List<string> problems)
    {
        PortablePdb pdb = PortablePdb.Read(pdbBytes);
        if (pdb.Id != PortablePdb.IdOfAssembly(assembly))
        {
            problems.Add($"the PDB of {dll} is not the one the assembly was built with (ids differ)");
        }
        if (pdb.SourceLinkJson is null)
        {
            problems.Add($"the PDB of {dll} has no SourceLink custom debug information ({PortablePdb.SourceLinkKind})");
            return;
        }

        // The local side is the repository root, or /_/ in a ContinuousIntegrationBuild (CI=true), whose PathMap
        // rewrites every source path; either way the repository's documents must lie under it.
        IReadOnlyDictionary<string, string> map = PortablePdb.ParseSourceLink(pdb.SourceLinkJson);
        Regex expected = ContentUrl(repository);
        string[] roots = [Path.TrimEndingDirectorySeparator(repositoryRoot) + "/*", "/_/*"];
        if (!map.Any(entry => roots.Contains(entry.Key) && expected.IsMatch(entry.Value)))
        {
            problems.Add($"the SourceLink of {dll} does not map the repository root to {expected} (map: {pdb.SourceLinkJson})");
        }

        var prefixes = map.Keys.Where(k => k.EndsWith('*')).Select(k => k[..^1]).ToList();
        foreach ((string path, bool embedded) in pdb.Documents)
        {
            if (!embedded && !prefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
            {
                problems.Add($"the PDB of {dll} has document {path}, neither SourceLinked nor embedded");
            }
        }
    }

    // The URL pattern SourceLink's GitHub provider writes: raw content at one commit. Other hosts write other
    // patterns; the test names the host instead of accepting anything when the repository moves.
    private static Regex ContentUrl(Uri repository)
    {
        Assert.True(repository.Host == "github.com", $"The package test knows GitHub's SourceLink URLs only, not {repository.Host}'s: teach it.");
        string path = repository.AbsolutePath.TrimEnd('/');
        path = path.EndsWith(".git", StringComparison.Ordinal) ? path[..^4] : path;
        return new Regex("^" + Regex.Escape("https://raw.githubusercontent.com" + path + "/") + "[0-9a-f]{40}/\\*$");
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Commit();
}
