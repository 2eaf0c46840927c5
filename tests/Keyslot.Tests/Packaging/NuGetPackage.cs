using System.IO.Compression;
using System.Xml.Linq;

namespace Keyslot.Tests.Packaging;

/// <summary>A .nupkg or .snupkg opened read-only: its entries and its nuspec's metadata.</summary>
internal sealed class NuGetPackage : IDisposable
{
    private readonly ZipArchive _zip;

    public NuGetPackage(string path)
    {
        Path = path;
        _zip = ZipFile.OpenRead(path);
        ZipArchiveEntry nuspec = _zip.Entries.SingleOrDefault(e => !e.FullName.Contains('/') && e.Name.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidDataException($"{path} has no nuspec at its root.");
        using Stream stream = nuspec.Open();
        Metadata = XDocument.Load(stream).Root?.Elements().SingleOrDefault(e => e.Name.LocalName == "metadata")
            ?? throw new InvalidDataException($"{path}: the nuspec has no metadata element.");
    }

    public string Path { get; }

    /// <summary>The nuspec's metadata element (its namespace varies with the schema version, so look-ups go by local name).</summary>
    public XElement Metadata { get; }

    public IEnumerable<string> EntryNames => _zip.Entries.Select(e => e.FullName);

    /// <summary>The nuspec element of that local name under metadata, or null.</summary>
    public XElement? Element(string localName) => Metadata.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    /// <summary>The bytes of an entry, or null when the package has no entry of that name.</summary>
    public byte[]? Read(string entryName)
    {
        ZipArchiveEntry? entry = _zip.GetEntry(entryName);
        if (entry is null)
        {
            return null;
        }
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose() => _zip.Dispose();
}
