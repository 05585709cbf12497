using System.Text.Json;
using Azure.Data.Tables;
using Insightly.Unified.Webhooks;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>How an account is laid out as a table row (flat columns, so rows stay readable in Storage Explorer).</summary>
internal static class AccountEntity
{
    public static TableEntity FromAccount(IntegratedAccount account, string partition)
    {
        var entity = new TableEntity(partition, account.Id)
        {
            ["TenantId"] = account.TenantId,
            ["Label"] = account.Label,
            ["Pod"] = account.Pod,
            ["Status"] = account.Status,
            ["InstanceName"] = account.Instance?.Name,
            ["InstanceSubdomain"] = account.Instance?.Subdomain,
            ["InstancePlan"] = account.Instance?.Plan,
            ["UserId"] = account.User?.Id,
            ["UserName"] = account.User?.Name,
            ["UserEmail"] = account.User?.Email,
            ["CreatedAt"] = account.CreatedAt,
            ["UpdatedAt"] = account.UpdatedAt,
            ["LastValidatedAt"] = account.LastValidatedAt,
            ["LastErrorStatus"] = account.LastError?.Status,
            ["LastErrorMessage"] = account.LastError?.Message,
            ["LastErrorAt"] = account.LastError?.At,
            ["ConsecutiveCheckFailures"] = account.ConsecutiveCheckFailures,
            ["SecretVersion"] = account.SecretVersion,
            ["PendingEvents"] = account.PendingEvents.Count == 0
                ? null
                : JsonSerializer.Serialize(account.PendingEvents, WebhookJsonContext.Default.IReadOnlyListQueuedEvent),
            ["LastEventId"] = account.LastEventId,
            ["LastEventAt"] = account.LastEventAt,
        };
        if (account.RateLimit is not null)
        {
            WriteRateLimit(entity, account.RateLimit);
        }

        return entity;
    }

    public static void WriteRateLimit(TableEntity entity, RateLimitSnapshot snapshot)
    {
        entity["RateLimitLimit"] = snapshot.Limit;
        entity["RateLimitRemaining"] = snapshot.Remaining;
        entity["RateLimitObservedAt"] = snapshot.ObservedAt;
    }

    public static IntegratedAccount ToAccount(TableEntity entity)
    {
        var instance = entity.GetString("InstanceName") is null && entity.GetString("InstanceSubdomain") is null
            ? null
            : new InstanceInfo(entity.GetString("InstanceName"), entity.GetString("InstanceSubdomain"), entity.GetString("InstancePlan"));
        var user = entity.GetString("UserId") is null
            ? null
            : new AccountUser(entity.GetString("UserId"), entity.GetString("UserName"), entity.GetString("UserEmail"));
        var lastError = entity.GetString("LastErrorMessage") is { } message
            ? new AccountError(entity.GetInt32("LastErrorStatus"), message, entity.GetDateTimeOffset("LastErrorAt") ?? DateTimeOffset.MinValue)
            : null;
        var rateLimit = entity.GetDateTimeOffset("RateLimitObservedAt") is { } observedAt
            ? new RateLimitSnapshot(entity.GetInt64("RateLimitLimit"), entity.GetInt64("RateLimitRemaining"), observedAt)
            : null;

        return new IntegratedAccount
        {
            Id = entity.RowKey,
            TenantId = entity.GetString("TenantId"),
            Label = entity.GetString("Label"),
            Pod = entity.GetString("Pod"),
            Status = entity.GetString("Status"),
            Instance = instance,
            User = user,
            CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? entity.Timestamp ?? DateTimeOffset.MinValue,
            UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? entity.Timestamp ?? DateTimeOffset.MinValue,
            LastValidatedAt = entity.GetDateTimeOffset("LastValidatedAt"),
            LastError = lastError,
            RateLimit = rateLimit,
            ConsecutiveCheckFailures = entity.GetInt32("ConsecutiveCheckFailures") ?? 0,
            SecretVersion = entity.GetString("SecretVersion"),
            PendingEvents = entity.GetString("PendingEvents") is { Length: > 0 } pending
                ? JsonSerializer.Deserialize(pending, WebhookJsonContext.Default.IReadOnlyListQueuedEvent) ?? []
                : [],
            LastEventId = entity.GetString("LastEventId"),
            LastEventAt = entity.GetDateTimeOffset("LastEventAt"),
        };
    }
}
