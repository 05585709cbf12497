using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Insightly.Unified.Webhooks;

/// <summary>
/// Subscription ids (<c>wh-</c> and 24 lower-case base32 characters), event ids (<c>evt_</c> and 26) and the name of a
/// subscription's secret in the secret store. Ids fit a Key Vault secret name and a Table row key, and are unguessable.
/// </summary>
public static partial class WebhookIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const string SecretPrefix = "webhook-secret-";

    public static string NewSubscriptionId() => "wh-" + Random(24);

    public static string NewEventId() => "evt_" + Random(26);

    public static bool IsSubscriptionId(string? id) => id is not null && SubscriptionId().IsMatch(id);

    /// <summary>The secret-store name of a subscription's signing secret; anything but a well-formed id is refused.</summary>
    public static string SecretName(string subscriptionId) => IsSubscriptionId(subscriptionId)
        ? SecretPrefix + subscriptionId
        : throw new ArgumentException($"'{subscriptionId}' is not a well-formed webhook subscription id.", nameof(subscriptionId));

    public static IReadOnlyDictionary<string, string> SecretTags(string subscriptionId) => new Dictionary<string, string>
    {
        ["webhook_subscription_id"] = subscriptionId,
        ["purpose"] = "webhook-signing-secret",
    };

    private static string Random(int length)
    {
        Span<byte> random = stackalloc byte[length];
        RandomNumberGenerator.Fill(random);
        return string.Create(length, random.ToArray(), (chars, bytes) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[bytes[i] & 31];
            }
        });
    }

    [GeneratedRegex(@"^wh-[a-z2-7]{24}\z", RegexOptions.CultureInvariant)]
    private static partial Regex SubscriptionId();
}
