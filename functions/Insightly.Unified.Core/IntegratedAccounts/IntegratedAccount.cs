using System.Text.Json.Serialization;
using Insightly.Unified.Webhooks;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>A linked Insightly account as the contract shows it (section 2). It never holds the key.</summary>
public sealed record IntegratedAccount
{
    public required string Id { get; init; }

    public string? TenantId { get; init; }

    public string? Label { get; init; }

    public required string Pod { get; init; }

    public required string Status { get; init; }

    public InstanceInfo? Instance { get; init; }

    public AccountUser? User { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? LastValidatedAt { get; init; }

    public AccountError? LastError { get; init; }

    public RateLimitSnapshot? RateLimit { get; init; }

    /// <summary>Transient check failures in a row; after a few the status becomes <c>validation_error</c>.</summary>
    [JsonIgnore]
    public int ConsecutiveCheckFailures { get; init; }

    /// <summary>
    /// The secret-store version of the key this row describes (never the key or a hash of it). A check or
    /// a 401 about another version is about an older key, and changes nothing.
    /// </summary>
    [JsonIgnore]
    public string? SecretVersion { get; init; }

    /// <summary>
    /// Webhook events raised by a change of this row and written with it, not yet confirmed in the events queue: the
    /// outbox that the request sends right away and the credential check re-sends if that failed (never in a response).
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<QueuedEvent> PendingEvents { get; init; } = [];

    /// <summary>The last event of this account confirmed in the events queue, and when (the "last event sent" marker).</summary>
    [JsonIgnore]
    public string? LastEventId { get; init; }

    [JsonIgnore]
    public DateTimeOffset? LastEventAt { get; init; }

    /// <summary>True when an outcome seen with the key of <paramref name="keyVersion"/> may change this row.</summary>
    public bool Describes(string? keyVersion) => SecretVersion is null || keyVersion is null || SecretVersion == keyVersion;
}

public static class AccountStatus
{
    public const string Active = "active";
    public const string NeedsReauth = "needs_reauth";
    public const string ValidationError = "validation_error";

    public static readonly IReadOnlyList<string> All = [Active, NeedsReauth, ValidationError];
}

public sealed record InstanceInfo(string? Name, string? Subdomain, string? Plan);

public sealed record AccountUser(string? Id, string? Name, string? Email);

public sealed record AccountError(int? Status, string Message, DateTimeOffset At);

/// <summary>Insightly's daily quota as its <c>X-RateLimit-*</c> headers last showed it.</summary>
public sealed record RateLimitSnapshot(long? Limit, long? Remaining, DateTimeOffset ObservedAt);

public sealed record DeletedAccount(string Id);
