namespace Keyslot.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that block the test host's thread pool on purpose (to show a synchronous path needs none of it) run in
/// this collection: alone, with no other collection beside them, whose tests the blocked pool would stall.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StarvedPoolCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "starved thread pool";
}
