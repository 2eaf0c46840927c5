using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json;

namespace Keyslot.Tests.Packaging;

/// <summary>What a debugger needs from a portable PDB: its id, its documents and the SourceLink map.</summary>
internal sealed class PortablePdb
{
    /// <summary>The SourceLink custom debug information kind (portable PDB specification).</summary>
    public static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    /// <summary>The embedded source custom debug information kind (portable PDB specification).</summary>
    public static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    private PortablePdb(Guid id, string? sourceLink, IReadOnlyList<(string Path, bool Embedded)> documents)
    {
        Id = id;
        SourceLinkJson = sourceLink;
        Documents = documents;
    }

    /// <summary>The PDB id's GUID part, which the assembly's CodeView debug entry must repeat.</summary>
    public Guid Id { get; }

    /// <summary>The SourceLink JSON, or null when the PDB has none.</summary>
    public string? SourceLinkJson { get; }

    /// <summary>Every source document, and whether its text is embedded in the PDB.</summary>
    public IReadOnlyList<(string Path, bool Embedded)> Documents { get; }

    /// <summary>Reads a portable PDB; a Windows PDB or anything else is a <see cref="BadImageFormatException"/>.</summary>
    public static PortablePdb Read(byte[] pdb)
    {
        using MetadataReaderProvider provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        MetadataReader reader = provider.GetMetadataReader();
        byte[] id = reader.DebugMetadataHeader?.Id.ToArray() ?? throw new BadImageFormatException("The PDB has no debug metadata header.");

        string? sourceLink = null;
        var embedded = new HashSet<DocumentHandle>();
        foreach (CustomDebugInformationHandle handle in reader.CustomDebugInformation)
        {
            CustomDebugInformation info = reader.GetCustomDebugInformation(handle);
            Guid kind = reader.GetGuid(info.Kind);
            if (kind == SourceLinkKind && info.Parent.Kind == HandleKind.ModuleDefinition)
            {
                sourceLink = Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value));
            }
            else if (kind == EmbeddedSourceKind && info.Parent.Kind == HandleKind.Document)
            {
                embedded.Add((DocumentHandle)info.Parent);
            }
        }

        var documents = reader.Documents
            .Select(d => (reader.GetString(reader.GetDocument(d).Name), embedded.Contains(d)))
            .ToList();
        return new PortablePdb(new Guid(id.AsSpan(0, 16)), sourceLink, documents);
    }

    /// <summary>The GUID of the assembly's CodeView debug entry: the id of the PDB it was built with.</summary>
    public static Guid IdOfAssembly(byte[] assembly)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        DebugDirectoryEntry codeView = pe.ReadDebugDirectory().FirstOrDefault(e => e.Type == DebugDirectoryEntryType.CodeView);
        Assert.True(codeView.Type == DebugDirectoryEntryType.CodeView, "The assembly has no CodeView debug entry.");
        return pe.ReadCodeViewDebugDirectoryData(codeView).Guid;
    }

    /// <summary>The SourceLink map: local path patterns (ending in *) to URL patterns.</summary>
    public static IReadOnlyDictionary<string, string> ParseSourceLink(string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("documents").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }
}
