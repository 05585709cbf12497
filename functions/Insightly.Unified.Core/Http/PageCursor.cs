using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Insightly.Unified.Errors;
using Insightly.Unified.Security;

namespace Insightly.Unified.Http;

/// <summary>
/// Opaque <c>next_cursor</c> values: a position (a storage continuation, an Insightly offset) and an HMAC,
/// with a server-side key, over that position and the query it belongs to. A cursor cannot be forged or
/// edited, and replaying it with other filters or another account fails as <c>invalid_cursor</c> before
/// its position reaches storage or Insightly.
/// </summary>
public sealed class PageCursors(SigningKeys keys)
{
    private const int MacBytes = 16;

    /// <param name="binding">Everything the position depends on: resource, account and canonical filters.</param>
    public async Task<string> EncodeAsync(string binding, string position, CancellationToken cancellationToken)
    {
        var mac = await MacAsync(binding, position, cancellationToken);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(position)) + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>The position the cursor carries, if it was issued for exactly this binding.</summary>
    public async Task<string> DecodeAsync(string cursor, string binding, CancellationToken cancellationToken)
    {
        var parts = cursor.Split('.');
        string position;
        byte[] mac;
        try
        {
            if (parts.Length != 2)
            {
                throw Invalid();
            }

            position = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0]));
            mac = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            throw Invalid();
        }

        var expected = await MacAsync(binding, position, cancellationToken);
        if (!CryptographicOperations.FixedTimeEquals(mac, expected))
        {
            throw Invalid();
        }

        return position;
    }

    private async Task<byte[]> MacAsync(string binding, string position, CancellationToken cancellationToken)
    {
        var key = await keys.CursorKeyAsync(cancellationToken);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"cursor/v1\n{binding}\n{position}"));
        return mac[..MacBytes];
    }

    private static ApiException Invalid() => ApiException.InvalidCursor(
        "'next_cursor' was not issued for this query: pass it back exactly as received, with the same account and filters as the request that returned it.");
}
