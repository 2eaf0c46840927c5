using Microsoft.Extensions.Options;

namespace Keyslot.DependencyInjection;

/// <summary>Checks at host start that the configuration string parses and validates, so a typo fails the deploy, not the first request.</summary>
internal sealed class KeyslotOptionsValidator : IValidateOptions<KeyslotOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyslotOptions options)
    {
        try
        {
            options.Build();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(string.IsNullOrEmpty(name) ? ex.Message : $"Keyslot client '{name}': {ex.Message}");
        }
    }
}
