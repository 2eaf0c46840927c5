namespace Keyslot.Tests.Packaging;

/// <summary>
/// Packs every packable project from the solution's existing build (scripts/test.sh builds it in Release first)
/// and opens the .nupkg and .snupkg the way NuGet and a debugger would.
/// </summary>
public sealed class PackageContentsTests
{
    public static TheoryData<string> Projects => new(PackableProjects.All());

    [Fact]
    public void The_packable_projects_are_found_from_the_source_tree()
    {
        IReadOnlyList<string> projects = PackableProjects.All();
        Assert.Contains(Path.Combine("src", "Keyslot", "Keyslot.csproj"), projects);
        Assert.Contains(Path.Combine("src", "Keyslot.DependencyInjection", "Keyslot.DependencyInjection.csproj"), projects);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public async Task The_package_has_readme_license_repository_docs_symbols_and_SourceLink(string project)
    {
        Uri repository = PackableProjects.DeclaredRepositoryUrl();
        DirectoryInfo output = Directory.CreateTempSubdirectory("keyslot-pack-");
        try
        {
            await DotnetPack.RunAsync(project, output.FullName);
            string nupkg = Assert.Single(Directory.GetFiles(output.FullName, "*.nupkg"));
            string snupkg = Assert.Single(Directory.GetFiles(output.FullName, "*.snupkg"));
            using var package = new NuGetPackage(nupkg);
            using var symbols = new NuGetPackage(snupkg);

            var problems = new List<string>();
            PackageExpectations.Nuspec(package, repository, problems);
            foreach ((string dll, byte[]? pdb) in PackageExpectations.AssembliesWithDocsAndSymbols(package, symbols, problems))
            {
                if (pdb is not null)
                {
                    PackageExpectations.SourceLink(dll, package.Read(dll)!, pdb, repository, PackableProjects.RepositoryRoot, problems);
                }
            }
            Assert.True(problems.Count == 0, $"{Path.GetFileName(nupkg)} (from {project}):\n  " + string.Join("\n  ", problems));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
