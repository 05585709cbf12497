using System.Text.Json.Serialization;

namespace Insightly.Unified.Webhooks;

/// <summary>A webhook subscription as the contract shows it (section 8). Its signing secret is never part of it.</summary>
public sealed record WebhookSubscription
{
    public required string Id { get; init; }

    public required Uri Url { get; init; }

    public required IReadOnlyList<string> Events { get; init; }

    public string? TenantId { get; init; }

    public string? Description { get; init; }

    public required bool Enabled { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? LastDeliveryAt { get; init; }

    public WebhookFailure? LastFailure { get; init; }

    /// <summary>
    /// Whether an event of this type for an account of one of these tenants goes to this subscription. With
    /// <paramref name="tenantSubscriptionsOnly"/> a subscription of every tenant (no <see cref="TenantId"/>) does not want it.
    /// </summary>
    public bool Wants(string type, IReadOnlyCollection<string?> tenantIds, bool tenantSubscriptionsOnly = false) =>
        Enabled
        && type != WebhookEventTypes.Test
        && (Events.Contains(WebhookEventTypes.All) || Events.Contains(type))
        && (TenantId is null ? !tenantSubscriptionsOnly : tenantIds.Contains(TenantId));
}

/// <summary>Why the last delivery was given up (or the subscription disabled): the receiver's status, if it answered.</summary>
public sealed record WebhookFailure(int? Status, string Message, DateTimeOffset At);

/// <summary>A subscription with its signing secret: the answer to creating one and to rotating its secret, and nowhere else.</summary>
public sealed record WebhookSubscriptionWithSecret
{
    public WebhookSubscriptionWithSecret(WebhookSubscription subscription, string secret)
    {
        Subscription = subscription;
        Secret = secret;
    }

    [JsonIgnore]
    public WebhookSubscription Subscription { get; }

    public string Id => Subscription.Id;

    public Uri Url => Subscription.Url;

    public IReadOnlyList<string> Events => Subscription.Events;

    public string? TenantId => Subscription.TenantId;

    public string? Description => Subscription.Description;

    public bool Enabled => Subscription.Enabled;

    public DateTimeOffset CreatedAt => Subscription.CreatedAt;

    public DateTimeOffset UpdatedAt => Subscription.UpdatedAt;

    public DateTimeOffset? LastDeliveryAt => Subscription.LastDeliveryAt;

    public WebhookFailure? LastFailure => Subscription.LastFailure;

    public string Secret { get; }

    public override string ToString() => $"WebhookSubscriptionWithSecret {{ Id = {Id} }}";
}

/// <summary>What <c>DELETE /webhooks/{id}</c> and <c>POST /webhooks/{id}/test</c> answer.</summary>
public sealed record WebhookReference(string Id);

/// <summary>What <c>POST /webhooks/{id}/test</c> answers: the subscription and the id of the test event on its way.</summary>
public sealed record WebhookTestQueued(string Id, string EventId);
