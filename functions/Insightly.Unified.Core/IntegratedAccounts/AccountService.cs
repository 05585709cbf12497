using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Insightly;
using Insightly.Unified.Secrets;
using Insightly.Unified.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>
/// Linking, listing, re-keying and unlinking Insightly accounts (contract section 2). Writes are
/// ordered so a failure never leaves a half-linked account: the key is verified before anything is
/// stored, and a secret whose row could not be written is removed again.
/// </summary>
public sealed class AccountService(
    AccountRepository accounts,
    ISecretStore secrets,
    ApiKeyResolver keys,
    CredentialVerifier verifier,
    CredentialChecker checker,
    AccountEvents events,
    RateLimitRecorder rateLimits,
    PageCursors cursors,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    public Task<IntegratedAccount> LinkAsync(JsonObject body, CancellationToken cancellationToken) =>
        LinkAsync(LinkAccountRequest.Parse(body), cancellationToken);

    /// <summary>Links a new account: the one path for the JSON route and the hosted link page alike.</summary>
    public async Task<IntegratedAccount> LinkAsync(LinkAccountRequest request, CancellationToken cancellationToken)
    {
        var identity = await verifier.VerifyNewKeyAsync(request.Pod, request.ApiKey, cancellationToken);
        var now = time.GetUtcNow();
        var account = new IntegratedAccount
        {
            Id = request.AccountId ?? AccountIds.New(),
            TenantId = request.TenantId,
            Label = request.Label,
            Pod = request.Pod,
            Status = AccountStatus.Active,
            Instance = identity.Instance,
            User = identity.User,
            CreatedAt = now,
            UpdatedAt = now,
            LastValidatedAt = now,
            RateLimit = identity.RateLimit,
        };

        // From here on the caller hanging up must not stop us half-way: both writes happen or neither.
        var secretName = SecretNaming.ForAccount(account.Id);
        try
        {
            var version = await secrets.SetAsync(secretName, request.ApiKey, SecretNaming.Tags(account.Id, account.Pod), CancellationToken.None);
            // The created event is written with the row and sent once the row is stored (section 8).
            account = events.WithCreatedEvent(account with { SecretVersion = version });
            await accounts.InsertAsync(account, CancellationToken.None);
        }
        catch (Exception exception)
        {
            await RollBackLinkAsync(account.Id, secretName, exception);
            throw;
        }

        logger.LogInformation("Linked account {AccountId} on pod {Pod} for tenant {TenantId}", account.Id, account.Pod, account.TenantId);
        await events.PublishAsync(account.Id, account.PendingEvents);
        return account;
    }

    /// <summary>One page of accounts, filtered by tenant and status, and the cursor of the next page.</summary>
    public async Task<(IReadOnlyList<IntegratedAccount> Accounts, string? NextCursor)> ListAsync(IQueryCollection query, CancellationToken cancellationToken)
    {
        var tenantId = query.OptionalString("tenant_id");
        var status = query.OptionalString("status");
        if (status is not null && !AccountStatus.All.Contains(status))
        {
            throw ApiException.InvalidParameter("status", $"'status' must be one of {string.Join(", ", AccountStatus.All)}.");
        }

        var page = await PageRequest.ReadAsync(query, $"integrated-accounts|tenant_id={tenantId}|status={status}", cursors, cancellationToken);
        var (accountsOnPage, continuation) = await accounts.ListAsync(tenantId, status, page.Limit, page.Position, cancellationToken);
        return (accountsOnPage, await page.NextCursorAsync(cursors, continuation, cancellationToken));
    }

    public async Task<IntegratedAccount> GetAsync(string accountId, CancellationToken cancellationToken) =>
        await FindAsync(accountId, cancellationToken) ?? throw ApiException.AccountNotFound(accountId);

    public Task<IntegratedAccount?> FindAsync(string accountId, CancellationToken cancellationToken) => accounts.FindAsync(accountId, cancellationToken);

    public Task<IntegratedAccount> UpdateAsync(string accountId, JsonObject body, CancellationToken cancellationToken) =>
        UpdateAsync(accountId, UpdateAccountRequest.Parse(body), cancellationToken);

    /// <summary>Edits an account and rotates its key: the one path for the JSON route and a reconnect link alike.</summary>
    public async Task<IntegratedAccount> UpdateAsync(string accountId, UpdateAccountRequest request, CancellationToken cancellationToken)
    {
        var account = await GetAsync(accountId, cancellationToken);
        var rotation = request.ApiKey is null ? null : await RotateKeyAsync(account, request.ApiKey, cancellationToken);

        var now = time.GetUtcNow();
        var updated = await events.UpdateAsync(accountId, async current =>
        {
            var edited = current with
            {
                TenantId = request.SetsTenantId ? request.TenantId : current.TenantId,
                Label = request.SetsLabel ? request.Label : current.Label,
                UpdatedAt = now,
            };
            // Two rotations may race: the row takes the identity of whichever key the store holds now, so the
            // last rotation wins whole and a slower, older one never writes its identity over it.
            if (rotation is null || (await secrets.GetAsync(SecretNaming.ForAccount(accountId), CancellationToken.None))?.Version != rotation.Version)
            {
                return edited;
            }

            return edited with
            {
                Status = AccountStatus.Active,
                User = rotation.Identity.User,
                Instance = rotation.Identity.Instance,
                RateLimit = rotation.Identity.RateLimit ?? current.RateLimit,
                SecretVersion = rotation.Version,
                LastValidatedAt = now,
                LastError = null,
                ConsecutiveCheckFailures = 0,
            };
        }, CancellationToken.None);
        return updated ?? throw ApiException.AccountNotFound(accountId);
    }

    /// <summary>Verifies the new key, refuses one from another instance, and stores it as a new version.</summary>
    private async Task<KeyRotation> RotateKeyAsync(IntegratedAccount account, string apiKey, CancellationToken cancellationToken)
    {
        var identity = await verifier.VerifyNewKeyAsync(account.Pod, apiKey, cancellationToken);
        if (account.Instance?.Subdomain is { } linked && identity.Instance.Subdomain is { } offered && linked != offered)
        {
            throw new ApiException(422, ErrorCodes.InvalidCredentials,
                $"The new key belongs to Insightly instance '{offered}', but this account is linked to '{linked}'. Link it as a new account instead.",
                new JsonObject { ["instance"] = offered });
        }

        string version;
        try
        {
            version = await secrets.SetAsync(SecretNaming.ForAccount(account.Id), apiKey, SecretNaming.Tags(account.Id, account.Pod), CancellationToken.None);
        }
        catch (SecretDeletedException)
        {
            // The account was deleted while we verified the key.
            throw ApiException.AccountNotFound(account.Id);
        }

        keys.Invalidate(account.Id);
        rateLimits.ClearDailyQuota(account.Id);
        logger.LogInformation("Rotated the API key of account {AccountId}", account.Id);
        return new KeyRotation(identity, version);
    }

    private sealed record KeyRotation(KeyIdentity Identity, string Version);

    public async Task<DeletedAccount> DeleteAsync(string accountId, CancellationToken cancellationToken)
    {
        var account = await GetAsync(accountId, cancellationToken);
        // Secret first: if the row delete then fails, a retry finds the row and finishes the job,
        // whereas the other order could strand a key with no row pointing at it.
        await secrets.DeleteAsync(SecretNaming.ForAccount(account.Id), cancellationToken);
        keys.Invalidate(account.Id);
        // Queued (or kept in the outbox) before the row goes; if neither works the row stays and the delete can be repeated.
        await events.PublishDeletedAsync(account);
        await accounts.DeleteAsync(account.Id, CancellationToken.None);
        logger.LogInformation("Unlinked account {AccountId}", account.Id);
        return new DeletedAccount(account.Id);
    }

    private async Task RollBackLinkAsync(string accountId, string secretName, Exception cause)
    {
        try
        {
            await accounts.DeleteAsync(accountId, CancellationToken.None);
            await secrets.DeleteAsync(secretName, CancellationToken.None);
        }
        catch (Exception rollback)
        {
            // Report the original failure to the caller; the leftover is logged for an operator.
            logger.LogError(rollback, "Could not roll back the half-linked account {AccountId} after {Cause}", accountId, cause.GetType().Name);
        }
    }

    public async Task<IntegratedAccount> ValidateAsync(string accountId, CancellationToken cancellationToken)
    {
        var account = await GetAsync(accountId, cancellationToken);
        return await checker.CheckAsync(account, cancellationToken);
    }
}
