using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Insightly.Unified.Errors;

namespace Insightly.Unified.Http;

/// <summary>
/// Opaque <c>next_cursor</c> values. A cursor carries a position and a fingerprint of the query that
/// produced it, so replaying it with other filters (or another account) is caught as <c>invalid_cursor</c>.
/// </summary>
public static class PageCursor
{
    private const string Version = "c1";

    /// <param name="query">Everything the position depends on, e.g. account id and filters.</param>
    public static string Encode(string query, string position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}|{Fingerprint(query)}|{position}"));

    public static string Decode(string cursor, string query)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw ApiException.InvalidCursor("'next_cursor' is not a cursor this API issued; pass it back exactly as received.");
        }

        var parts = text.Split('|', 3);
        if (parts.Length != 3 || parts[0] != Version || parts[2].Length == 0)
        {
            throw ApiException.InvalidCursor("'next_cursor' is not a cursor this API issued; pass it back exactly as received.");
        }

        if (parts[1] != Fingerprint(query))
        {
            throw ApiException.InvalidCursor(
                "'next_cursor' belongs to a different query; repeat the filters (and account) of the request that returned it.");
        }

        return parts[2];
    }

    private static string Fingerprint(string query) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)).AsSpan(0, 12));
}
