using System.Text;

namespace Keyslot.Testing.Internal;

/// <summary>Describes a command for error messages without leaking passwords.</summary>
internal static class CommandText
{
    public static string Describe(IReadOnlyList<object> args)
    {
        if (args.Count == 0)
        {
            return "(empty command)";
        }

        var name = Render(args[0]).ToUpperInvariant();
        if (name is "AUTH" or "HELLO" or "ACL" or "CONFIG" or "MIGRATE")
        {
            return name + " ...";
        }

        var parts = args.Take(6).Select(Render);
        return string.Join(' ', parts) + (args.Count > 6 ? " ..." : string.Empty);
    }

    private static string Render(object arg) => arg is byte[] b ? Encoding.UTF8.GetString(b) : Convert.ToString(arg, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
