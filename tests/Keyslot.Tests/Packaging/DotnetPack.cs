using System.Diagnostics;

namespace Keyslot.Tests.Packaging;

/// <summary>Runs <c>dotnet pack --no-build</c> of one project, bounded in time, into a directory of the caller's.</summary>
internal static class DotnetPack
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Packs <paramref name="project"/> (relative to the repository root) from its existing build in
    /// <see cref="PackableProjects.Configuration"/> into <paramref name="output"/>. --no-build: the suite builds the
    /// solution first, and a test must not rewrite the bin and obj directories other tests run from.
    /// </summary>
    public static async Task RunAsync(string project, string output)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = PackableProjects.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "pack", project, "-c", PackableProjects.Configuration, "--no-build", "-o", output,
            "--nologo", "--disable-build-servers", "-nodeReuse:false",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet pack {project} did not finish within {Bound.TotalMinutes:0} minutes.");
        }

        string log = await stdout + await stderr;
        Assert.True(process.ExitCode == 0,
            $"dotnet pack {project} -c {PackableProjects.Configuration} --no-build failed ({process.ExitCode}); "
            + $"the solution must be built in {PackableProjects.Configuration} first, as scripts/test.sh does.\n{log}");
    }
}
