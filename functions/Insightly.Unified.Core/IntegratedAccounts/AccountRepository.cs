using Azure;
using Azure.Data.Tables;
using Insightly.Unified.Telemetry;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>
/// Account metadata in Azure Table storage: one partition, the account id as row key. Requests find their
/// account through a short-lived cache (<see cref="FindForRequestAsync"/>); every write made through this
/// class forgets the cached row (or, for the rate-limit columns alone, updates it), so a change made on this
/// instance is seen by its next request at once.
/// </summary>
/// <param name="requestCacheTtl">How long <see cref="FindForRequestAsync"/> reuses a row; zero turns the cache off.</param>
public sealed class AccountRepository(
    TableClient table, UnifiedMetrics metrics, TimeSpan? requestCacheTtl = null, TimeProvider? time = null)
{
    private const string Partition = "account";
    private const int MaxUpdateAttempts = 8;

    private readonly AccountCache cache = new(requestCacheTtl ?? TimeSpan.Zero, time ?? TimeProvider.System, metrics);

    /// <summary>The stored row, read from the table now.</summary>
    public async Task<IntegratedAccount?> FindAsync(string accountId, CancellationToken cancellationToken)
    {
        if (!AccountIds.IsWellFormed(accountId))
        {
            return null;
        }

        return await ReadAsync(accountId, cancellationToken);
    }

    /// <summary>
    /// The row for the request path (unified API, proxy): from the cache when it was read less than the cache's
    /// lifetime ago, else read once however many requests ask at the same moment. Writes through this class
    /// forget the entry; a write by another instance is seen at the latest when the entry expires.
    /// </summary>
    public Task<IntegratedAccount?> FindForRequestAsync(string accountId, CancellationToken cancellationToken) =>
        AccountIds.IsWellFormed(accountId)
            ? cache.GetAsync(accountId, id => ReadAsync(id, CancellationToken.None), cancellationToken)
            : Task.FromResult<IntegratedAccount?>(null);

    public async Task InsertAsync(IntegratedAccount account, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(AccountEntity.FromAccount(account, Partition), cancellationToken);
        }
        finally
        {
            cache.Forget(account.Id);
        }
    }

    private async Task<IntegratedAccount?> ReadAsync(string accountId, CancellationToken cancellationToken)
    {
        metrics.AccountTableReads.Add(1);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, accountId, cancellationToken: cancellationToken);
        return response.HasValue ? AccountEntity.ToAccount(response.Value!) : null;
    }

    /// <summary>
    /// Read-modify-write guarded by the row's ETag, retried on a concurrent change so two writers
    /// (a PATCH and the timer, say) never silently overwrite each other. A change that returns the row it
    /// was given writes nothing. Returns the row as stored, or null when the account is gone.
    /// </summary>
    public Task<IntegratedAccount?> UpdateAsync(
        string accountId, Func<IntegratedAccount, IntegratedAccount> change, CancellationToken cancellationToken) =>
        UpdateAsync(accountId, current => Task.FromResult(change(current)), cancellationToken);

    /// <inheritdoc cref="UpdateAsync(string, Func{IntegratedAccount, IntegratedAccount}, CancellationToken)"/>
    public async Task<IntegratedAccount?> UpdateAsync(
        string accountId, Func<IntegratedAccount, Task<IntegratedAccount>> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            metrics.AccountTableReads.Add(1);
            var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition, accountId, cancellationToken: cancellationToken);
            if (!response.HasValue)
            {
                // Deleted elsewhere: the cached row must not outlive it here.
                cache.Forget(accountId);
                return null;
            }

            var row = response.Value!;
            var current = AccountEntity.ToAccount(row);
            var updated = await change(current);
            if (ReferenceEquals(updated, current))
            {
                // Nothing to write, but the row just read may be newer than the cached one (changed elsewhere).
                cache.Forget(accountId);
                return current;
            }

            try
            {
                await table.UpdateEntityAsync(AccountEntity.FromAccount(updated, Partition), row.ETag, TableUpdateMode.Replace, cancellationToken);
                return updated;
            }
            catch (RequestFailedException exception) when (exception.Status == 412 && attempt < MaxUpdateAttempts)
            {
                // Someone else changed the row between our read and write; re-read and apply again,
                // after a short random pause so competing writers do not collide in lock-step.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50 * attempt)), cancellationToken);
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                return null;
            }
            finally
            {
                // Whether the write landed, failed or may have landed, the cached row is no longer to be trusted.
                cache.Forget(accountId);
            }
        }
    }

    /// <summary>Records the last seen rate-limit headers without touching any other column.</summary>
    public async Task MergeRateLimitAsync(string accountId, RateLimitSnapshot snapshot, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition, accountId);
        AccountEntity.WriteRateLimit(entity, snapshot);
        try
        {
            await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            // The account was deleted meanwhile; nothing to record.
        }
        finally
        {
            // Only the rate-limit columns changed: the cached row takes them instead of being read again, unless a
            // later snapshot got there first (these writes run in the background and may finish out of order).
            cache.Update(accountId, account => account.RateLimit is { } cached && cached.ObservedAt > snapshot.ObservedAt
                ? account
                : account with { RateLimit = snapshot });
        }
    }

    /// <summary>Removes the row; a row that is already gone is not an error.</summary>
    public async Task DeleteAsync(string accountId, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(Partition, accountId, ETag.All, cancellationToken);
        }
        finally
        {
            cache.Forget(accountId);
        }
    }

    /// <summary>One page of accounts; <paramref name="continuation"/> is the storage continuation token.</summary>
    public async Task<(IReadOnlyList<IntegratedAccount> Accounts, string? Continuation)> ListAsync(
        string? tenantId, string? status, int limit, string? continuation, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        if (tenantId is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"TenantId eq {tenantId}");
        }

        if (status is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        }

        await foreach (var page in table.QueryAsync<TableEntity>(filter, limit, cancellationToken: cancellationToken)
                           .AsPages(continuation, limit).WithCancellation(cancellationToken))
        {
            metrics.AccountTableReads.Add(page.Values.Count);
            return (page.Values.Select(AccountEntity.ToAccount).ToList(), page.ContinuationToken);
        }

        return ([], null);
    }

    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            return;
        }
    }
}
