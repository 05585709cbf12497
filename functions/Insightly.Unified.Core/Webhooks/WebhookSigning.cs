using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// The signature of a delivery (contract section 8): <c>X-Webhook-Signature: v1=&lt;hex&gt;</c>, the lower-case hex
/// HMAC-SHA256 of <c>"{id}.{timestamp}.{raw body}"</c> keyed with the subscription's secret (the whole
/// <c>whsec_…</c> string, as UTF-8 bytes).
/// </summary>
public static class WebhookSigning
{
    public const string IdHeader = "X-Webhook-Id";
    public const string TimestampHeader = "X-Webhook-Timestamp";
    public const string SignatureHeader = "X-Webhook-Signature";

    public const string SecretPrefix = "whsec_";
    private const string Version = "v1=";

    /// <summary>A new signing secret: <c>whsec_</c> and 32 random bytes, base64url.</summary>
    public static string NewSecret() => SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Sign(string secret, string eventId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{eventId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return Version + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>How far a delivery's timestamp may be from the receiver's clock before <see cref="Verify"/> refuses it.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// What a receiver does: refuses a timestamp further than <paramref name="tolerance"/> (default
    /// <see cref="DefaultTolerance"/>) from now either way, so a captured delivery cannot be replayed later, then
    /// recomputes the signature and compares in constant time (any of several <c>v1=</c> values may match).
    /// </summary>
    public static bool Verify(
        string secret, string eventId, string timestamp, ReadOnlySpan<byte> body, string signatureHeader,
        TimeSpan? tolerance = null, TimeProvider? time = null)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs((time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds() - seconds) > (tolerance ?? DefaultTolerance).TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, eventId, seconds, body));
        return signatureHeader.Split(' ', ',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }
}
