using Azure;
using Azure.Data.Tables;
using Insightly.Unified.Storage;

namespace Insightly.Unified.Link;

public static class LinkTokenState
{
    /// <summary>Issued and not used yet.</summary>
    public const string Issued = "issued";

    /// <summary>
    /// A submission holds it while it checks and stores the key; back to issued if that fails. A claim whose
    /// submission never finished (its process died) can be taken again once its lease is over.
    /// </summary>
    public const string Claimed = "claimed";

    /// <summary>An account was stored with it; it never works again.</summary>
    public const string Used = "used";
}

/// <summary>What a link token grants, and where it is in its life. Never holds a key.</summary>
public sealed record LinkTokenRecord
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public string? Label { get; init; }

    public Uri? RedirectUrl { get; init; }

    /// <summary>Set for a reconnect link: the account whose key it replaces.</summary>
    public string? IntegratedAccountId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required string State { get; init; }

    public DateTimeOffset? ClaimedAt { get; init; }

    public DateTimeOffset? UsedAt { get; init; }

    /// <summary>
    /// The account the token created or re-keyed. A new link's first claim reserves the id here, so a submission that
    /// takes over a claim which ran out of its lease can tell whether that one had already stored the account.
    /// </summary>
    public string? LinkedAccountId { get; init; }
}

/// <summary>A record as read, with the version a conditional write must match.</summary>
public sealed record StoredLinkToken(LinkTokenRecord Record, ETag ETag);

/// <summary>Where issued link tokens are kept. Every change is conditional on the version last read.</summary>
public interface ILinkTokenStore
{
    Task InsertAsync(LinkTokenRecord record, CancellationToken cancellationToken);

    Task<StoredLinkToken?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the record if it is still at <paramref name="etag"/>; the new version, or null when it changed or is gone.</summary>
    Task<ETag?> TryReplaceAsync(LinkTokenRecord record, ETag etag, CancellationToken cancellationToken);

    /// <summary>Removes the records of tokens whose lifetime is over at <paramref name="now"/>, used or not; returns how many.</summary>
    Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>Link tokens in Azure Table storage: one partition, the token id as row key, ETag-guarded writes.</summary>
public sealed class TableLinkTokenStore(TableClient table) : ILinkTokenStore
{
    private const string Partition = "linktoken";

    public Task InsertAsync(LinkTokenRecord record, CancellationToken cancellationToken) =>
        table.AddEntityAsync(ToEntity(record), cancellationToken);

    public async Task<StoredLinkToken?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return response.HasValue ? new StoredLinkToken(FromEntity(response.Value!), response.Value!.ETag) : null;
    }

    public async Task<ETag?> TryReplaceAsync(LinkTokenRecord record, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(record), etag, TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return null;
        }
    }

    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        TableRows.DeleteAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and ExpiresAt le {now}"), cancellationToken);

    private static TableEntity ToEntity(LinkTokenRecord record) => new(Partition, record.Id)
    {
        ["TenantId"] = record.TenantId,
        ["Label"] = record.Label,
        ["RedirectUrl"] = record.RedirectUrl?.AbsoluteUri,
        ["IntegratedAccountId"] = record.IntegratedAccountId,
        ["CreatedAt"] = record.CreatedAt,
        ["ExpiresAt"] = record.ExpiresAt,
        ["State"] = record.State,
        ["ClaimedAt"] = record.ClaimedAt,
        ["UsedAt"] = record.UsedAt,
        ["LinkedAccountId"] = record.LinkedAccountId,
    };

    private static LinkTokenRecord FromEntity(TableEntity entity) => new()
    {
        Id = entity.RowKey,
        TenantId = entity.GetString("TenantId"),
        Label = entity.GetString("Label"),
        RedirectUrl = entity.GetString("RedirectUrl") is { } url ? new Uri(url) : null,
        IntegratedAccountId = entity.GetString("IntegratedAccountId"),
        CreatedAt = entity.GetDateTimeOffset("CreatedAt")!.Value,
        ExpiresAt = entity.GetDateTimeOffset("ExpiresAt")!.Value,
        State = entity.GetString("State"),
        ClaimedAt = entity.GetDateTimeOffset("ClaimedAt"),
        UsedAt = entity.GetDateTimeOffset("UsedAt"),
        LinkedAccountId = entity.GetString("LinkedAccountId"),
    };
}
