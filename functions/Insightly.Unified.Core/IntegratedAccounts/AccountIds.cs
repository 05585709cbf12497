using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>
/// Integrated account ids: <c>ia-</c> plus 24 lower-case base32 characters. URL-safe, valid inside a
/// Key Vault secret name and a Table row key, and unguessable.
/// </summary>
public static partial class AccountIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string New()
    {
        Span<byte> random = stackalloc byte[24];
        RandomNumberGenerator.Fill(random);
        Span<char> id = stackalloc char[27];
        "ia-".CopyTo(id);
        for (var i = 0; i < 24; i++)
        {
            id[3 + i] = Alphabet[random[i] & 31];
        }

        return new string(id);
    }

    public static bool IsWellFormed(string? id) => id is not null && WellFormed().IsMatch(id);

    // \z, not $: $ also matches before a trailing newline.
    [GeneratedRegex(@"^ia-[a-z2-7]{24}\z", RegexOptions.CultureInvariant)]
    private static partial Regex WellFormed();
}
