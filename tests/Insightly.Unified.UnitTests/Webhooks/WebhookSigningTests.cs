using System.Text;
using Insightly.Unified.Webhooks;
using Microsoft.Extensions.Time.Testing;

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
        Assert.True(Verify("1767323045", body, Expected));
        Assert.True(Verify("1767323045", body, "v1=0000000000000000000000000000000000000000000000000000000000000000 " + Expected));
        Assert.False(WebhookSigning.Verify(Secret + "x", EventId, "1767323045", body, Expected, time: At(Timestamp)));
        Assert.False(WebhookSigning.Verify(Secret, "evt_other", "1767323045", body, Expected, time: At(Timestamp)));
        Assert.False(Verify("1767323046", body, Expected));
        Assert.False(Verify("1767323045", Encoding.UTF8.GetBytes(Body + " "), Expected));
        Assert.False(Verify("1767323045", body, Expected.ToUpperInvariant()));
        Assert.False(Verify("soon", body, Expected));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(300, true)]
    [InlineData(-300, true)]
    [InlineData(301, false)]
    [InlineData(-301, false)]
    [InlineData(86_400, false)]
    public void A_correctly_signed_delivery_is_refused_once_its_timestamp_is_more_than_five_minutes_off(long receivedSecondsLater, bool accepted) =>
        Assert.Equal(accepted, WebhookSigning.Verify(Secret, EventId, "1767323045", Encoding.UTF8.GetBytes(Body), Expected,
            time: At(Timestamp + receivedSecondsLater)));

    [Fact]
    public void By_default_a_delivery_signed_a_day_ago_is_refused_and_one_signed_now_accepted()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var dayOld = (now - 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.False(WebhookSigning.Verify(Secret, EventId, dayOld, body, WebhookSigning.Sign(Secret, EventId, now - 86_400, body)));
        Assert.True(WebhookSigning.Verify(Secret, EventId, now.ToString(System.Globalization.CultureInfo.InvariantCulture), body, WebhookSigning.Sign(Secret, EventId, now, body)));
    }

    [Fact]
    public void The_tolerance_can_be_chosen()
    {
        var body = Encoding.UTF8.GetBytes(Body);
        Assert.True(WebhookSigning.Verify(Secret, EventId, "1767323045", body, Expected, TimeSpan.FromHours(1), At(Timestamp + 3000)));
        Assert.False(WebhookSigning.Verify(Secret, EventId, "1767323045", body, Expected, TimeSpan.FromSeconds(10), At(Timestamp + 11)));
    }

    private static bool Verify(string timestamp, byte[] body, string signature) =>
        WebhookSigning.Verify(Secret, EventId, timestamp, body, signature, time: At(Timestamp));

    private static FakeTimeProvider At(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

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
