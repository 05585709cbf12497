using System.Text;
using Insightly.Unified.Webhooks;

namespace Insightly.Unified.UnitTests.Webhooks;

public sealed class WebhookSigningTests
{
    // Computed independently (Python's hmac module): HMAC-SHA256, key = the whole secret as UTF-8, over "id.timestamp.body".
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string EventId = "evt_2f5q3a";
    private const long Timestamp = 1767323045;
    private const string Body = """{"id":"evt_2f5q3a","type":"webhook.test"}""";
    private const string Expected = "v1=f39b12e313b9341aa439c0b1710c27548a6fb40eebda2d90ead8f493108aaad2";

    [Fact]
    public void Signs_a_known_vector_as_lower_case_hex_after_v1() =>
        Assert.Equal(Expected, WebhookSigning.Sign(Secret, EventId, Timestamp, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void Verifies_the_known_vector_and_refuses_any_change()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        Assert.True(WebhookSigning.Verify(Secret, EventId, "1767323045", body, Expected));
        Assert.True(WebhookSigning.Verify(Secret, EventId, "1767323045", body, "v1=0000000000000000000000000000000000000000000000000000000000000000 " + Expected));
        Assert.False(WebhookSigning.Verify(Secret + "x", EventId, "1767323045", body, Expected));
        Assert.False(WebhookSigning.Verify(Secret, "evt_other", "1767323045", body, Expected));
        Assert.False(WebhookSigning.Verify(Secret, EventId, "1767323046", body, Expected));
        Assert.False(WebhookSigning.Verify(Secret, EventId, "1767323045", Encoding.UTF8.GetBytes(Body + " "), Expected));
        Assert.False(WebhookSigning.Verify(Secret, EventId, "1767323045", body, Expected.ToUpperInvariant()));
        Assert.False(WebhookSigning.Verify(Secret, EventId, "soon", body, Expected));
    }

    [Fact]
    public void New_secrets_are_whsec_and_32_random_bytes_in_base64url()
    {
        var secrets = Enumerable.Range(0, 50).Select(_ => WebhookSigning.NewSecret()).ToList();
        Assert.All(secrets, s => Assert.Matches("^whsec_[A-Za-z0-9_-]{43}$", s));
        Assert.Equal(50, secrets.Distinct().Count());
    }

    [Fact]
    public void A_subscription_with_its_secret_never_prints_the_secret()
    {
        var subscription = WebhookSelectionTests.Subscription(["*"], null);
        var withSecret = new WebhookSubscriptionWithSecret(subscription, "whsec_topsecret");
        Assert.DoesNotContain("topsecret", withSecret.ToString());
    }
}
