using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Insightly.Unified.Security;

namespace Insightly.Unified.Link;

/// <summary>What a link token says about itself once its signature is checked.</summary>
public sealed record LinkTokenClaims(string Id, DateTimeOffset ExpiresAt);

/// <summary>
/// Link tokens: <c>lt_</c> and base64url of a version byte, a random 128-bit id, the expiry (Unix seconds) and
/// an HMAC-SHA256 (first 16 bytes) over them with a server-side key (<see cref="SigningKeys"/>). A forged or
/// edited token is refused before storage is asked; what a token grants (tenant, redirect, account) and
/// whether it was used is kept in storage under its id.
/// </summary>
public sealed class LinkTokenCodec(SigningKeys keys)
{
    public const string Prefix = "lt_";

    private const byte Version = 1;
    private const int IdBytes = 16;
    private const int PayloadBytes = 1 + IdBytes + sizeof(long);
    private const int MacBytes = 16;
    private static readonly byte[] Domain = Encoding.ASCII.GetBytes("link-token/v1\n");

    public async Task<(string Token, LinkTokenClaims Claims)> CreateAsync(DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var bytes = new byte[PayloadBytes + MacBytes];
        bytes[0] = Version;
        RandomNumberGenerator.Fill(bytes.AsSpan(1, IdBytes));
        var expiry = expiresAt.ToUnixTimeSeconds();
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1 + IdBytes), expiry);
        (await MacAsync(bytes.AsMemory(0, PayloadBytes), cancellationToken)).CopyTo(bytes, PayloadBytes);
        return (Prefix + Base64Url.EncodeToString(bytes), Claims(bytes, expiry));
    }

    /// <summary>The claims of a token this app signed; null for anything else (forged, edited, truncated, junk).</summary>
    public async Task<LinkTokenClaims?> ReadAsync(string? token, CancellationToken cancellationToken)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 128)
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length != PayloadBytes + MacBytes || bytes[0] != Version)
        {
            return null;
        }

        var expected = await MacAsync(bytes.AsMemory(0, PayloadBytes), cancellationToken);
        return CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(PayloadBytes))
            ? Claims(bytes, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1 + IdBytes)))
            : null;
    }

    private static LinkTokenClaims Claims(byte[] bytes, long expiry) =>
        new(Convert.ToHexStringLower(bytes.AsSpan(1, IdBytes)), DateTimeOffset.FromUnixTimeSeconds(expiry));

    private async Task<byte[]> MacAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var key = await keys.LinkTokenKeyAsync(cancellationToken);
        byte[] message = [.. Domain, .. payload.Span];
        return HMACSHA256.HashData(key, message)[..MacBytes];
    }
}
