using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Webhooks;

namespace Insightly.Unified.UnitTests.Webhooks;

/// <summary>Which subscriptions an event goes to (type and tenant), and which events a change of an account raises.</summary>
public sealed class WebhookSelectionTests
{
    public static WebhookSubscription Subscription(string[] events, string? tenant, bool enabled = true) => new()
    {
        Id = WebhookIds.NewSubscriptionId(),
        Url = new Uri("https://hooks.example.com/in"),
        Events = events,
        TenantId = tenant,
        Enabled = enabled,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    [Theory]
    [InlineData(new[] { "*" }, null, "integrated_account.created", "acme", true)]
    [InlineData(new[] { "*" }, null, "integrated_account.needs_reauth", null, true)]
    [InlineData(new[] { "integrated_account.needs_reauth" }, null, "integrated_account.needs_reauth", "acme", true)]
    [InlineData(new[] { "integrated_account.needs_reauth" }, null, "integrated_account.reactivated", "acme", false)]
    [InlineData(new[] { "integrated_account.needs_reauth", "integrated_account.reactivated" }, "acme", "integrated_account.reactivated", "acme", true)]
    [InlineData(new[] { "*" }, "acme", "integrated_account.created", "globex", false)]
    [InlineData(new[] { "*" }, "acme", "integrated_account.created", null, false)]
    [InlineData(new[] { "*" }, "Acme", "integrated_account.created", "acme", false)]
    [InlineData(new[] { "*" }, null, "webhook.test", "acme", false)]
    [InlineData(new[] { "webhook.test" }, null, "webhook.test", null, false)]
    public void An_event_goes_to_subscriptions_of_its_type_and_tenant(string[] events, string? subscriptionTenant, string type, string? accountTenant, bool wanted) =>
        Assert.Equal(wanted, Subscription(events, subscriptionTenant).Wants(type, [accountTenant]));

    [Fact]
    public void A_disabled_subscription_wants_nothing() =>
        Assert.False(Subscription(["*"], null, enabled: false).Wants(WebhookEventTypes.Created, [null]));

    [Fact]
    public void After_a_tenant_change_the_new_tenant_and_every_tenant_subscriptions_get_the_event_and_only_the_former_tenants_get_its_copy()
    {
        Assert.True(Subscription(["*"], "new").Wants(WebhookEventTypes.Updated, ["new"]));
        Assert.True(Subscription(["*"], null).Wants(WebhookEventTypes.Updated, ["new"]));
        Assert.False(Subscription(["*"], "old").Wants(WebhookEventTypes.Updated, ["new"]));

        Assert.True(Subscription(["*"], "old").Wants(WebhookEventTypes.Updated, ["old"], tenantSubscriptionsOnly: true));
        Assert.False(Subscription(["*"], null).Wants(WebhookEventTypes.Updated, ["old"], tenantSubscriptionsOnly: true));
        Assert.False(Subscription(["*"], "new").Wants(WebhookEventTypes.Updated, ["old"], tenantSubscriptionsOnly: true));
    }

    private static readonly IntegratedAccount Active = new()
    {
        Id = "ia-aaaaaaaaaaaaaaaaaaaaaaaa",
        TenantId = "acme",
        Label = "Acme",
        Pod = "na1",
        Status = AccountStatus.Active,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        SecretVersion = "v1",
    };

    public static TheoryData<string, string[]> Changes => new()
    {
        { "nothing but the timestamps and the user", [] },
        { "needs_reauth", ["integrated_account.needs_reauth"] },
        { "validation_error", ["integrated_account.validation_error"] },
        { "label", ["integrated_account.updated"] },
        { "tenant", ["integrated_account.updated"] },
        { "key", ["integrated_account.updated"] },
        { "key of a flagged account", ["integrated_account.updated", "integrated_account.reactivated"] },
        { "check passes again", ["integrated_account.reactivated"] },
        { "needs_reauth seen again", [] },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void A_change_raises_the_events_its_before_and_after_differ_by(string change, string[] expected)
    {
        var flagged = Active with { Status = AccountStatus.NeedsReauth };
        var (before, after) = change switch
        {
            "nothing but the timestamps and the user" => (Active, Active with { UpdatedAt = DateTimeOffset.UtcNow, User = new AccountUser("1", "Ada", null), LastValidatedAt = DateTimeOffset.UtcNow }),
            "needs_reauth" => (Active, flagged),
            "validation_error" => (Active, Active with { Status = AccountStatus.ValidationError }),
            "label" => (Active, Active with { Label = "Acme Ltd" }),
            "tenant" => (Active, Active with { TenantId = null }),
            "key" => (Active, Active with { SecretVersion = "v2" }),
            "key of a flagged account" => (flagged, Active with { SecretVersion = "v2" }),
            "check passes again" => (Active with { Status = AccountStatus.ValidationError }, Active),
            "needs_reauth seen again" => (flagged, flagged with { LastError = new AccountError(401, "again", DateTimeOffset.UtcNow) }),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        Assert.Equal(expected, AccountEvents.TypesFor(before, after));
    }

    [Fact]
    public void An_event_body_holds_the_account_as_the_api_shows_it_and_never_its_outbox_or_key_version()
    {
        var account = Active with
        {
            PendingEvents = [new QueuedEvent("evt_x", WebhookEventTypes.Created, DateTimeOffset.UnixEpoch, ["acme"], "{}")],
            LastEventId = "evt_y",
        };
        var body = System.Text.Json.Nodes.JsonNode.Parse(AccountEvents.Body("evt_1", WebhookEventTypes.NeedsReauth, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), account))!;

        Assert.Equal("evt_1", body["id"]!.GetValue<string>());
        Assert.Equal("integrated_account.needs_reauth", body["type"]!.GetValue<string>());
        Assert.Equal("2026-01-02T03:04:05Z", body["created_at"]!.GetValue<string>());
        var data = body["data"]!["integrated_account"]!.AsObject();
        Assert.Equal("ia-aaaaaaaaaaaaaaaaaaaaaaaa", data["id"]!.GetValue<string>());
        Assert.DoesNotContain(data, p => p.Key is "pending_events" or "last_event_id" or "secret_version" or "api_key");
    }
}
