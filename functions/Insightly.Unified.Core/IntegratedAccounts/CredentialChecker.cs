using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Insightly;
using Insightly.Unified.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>
/// Re-checks a stored key (contract section 5): 200 → <c>active</c>; 401/403 → <c>needs_reauth</c>;
/// anything transient keeps the status and records <c>last_error</c>, turning into
/// <c>validation_error</c> only after several failures in a row.
/// </summary>
public sealed class CredentialChecker(
    AccountRepository accounts,
    AccountConnector connector,
    AccountEvents events,
    IOptions<CredentialCheckOptions> options,
    TimeProvider time,
    ILogger<CredentialChecker> logger)
{
    /// <summary>
    /// One upstream call for a healthy account: <c>GET /Users/Me</c> proves the key and says whose it is.
    /// <c>/Instance</c> is read only while the row lacks the instance, since a key cannot move between
    /// instances (rotation refuses that) and the plan changes rarely.
    /// </summary>
    public async Task<IntegratedAccount> CheckAsync(IntegratedAccount account, CancellationToken cancellationToken)
    {
        KeyIdentity identity;
        string keyVersion;
        try
        {
            (var me, keyVersion) = await connector.GetJsonAsync(account, "Users/Me", cancellationToken, allowNeedsReauth: true);
            var instance = account.Instance is null
                ? (await connector.GetJsonAsync(account, "Instance", cancellationToken, allowNeedsReauth: true)).Body
                : null;
            identity = KeyIdentity.Parse(me, instance);
        }
        catch (ApiException exception) when (exception.Error == ErrorCodes.AccountNeedsReauth)
        {
            return await accounts.FindAsync(account.Id, cancellationToken) ?? throw ApiException.AccountNotFound(account.Id);
        }
        catch (ApiException exception) when (exception.Remote?.Status == 403)
        {
            // A 403 on /Users/Me, which every key may read, means API access was taken from the key's user.
            await connector.MarkNeedsReauthAsync(
                account.Id, 403, "Insightly refused the key (403): API access may be disabled for its user.", account.SecretVersion);
            return await accounts.FindAsync(account.Id, cancellationToken) ?? throw ApiException.AccountNotFound(account.Id);
        }
        catch (ApiException exception)
        {
            logger.LogWarning("Credential check for account {AccountId} failed transiently: {Error} {Message}",
                account.Id, exception.Error, exception.Message);
            return await RecordTransientFailureAsync(account.Id, exception, cancellationToken);
        }

        var now = time.GetUtcNow();
        return await events.UpdateAsync(account.Id, current => !current.Describes(keyVersion)
            ? current
            : current with
            {
                Status = AccountStatus.Active,
                User = identity.User,
                Instance = current.Instance ?? identity.Instance,
                LastValidatedAt = now,
                LastError = null,
                ConsecutiveCheckFailures = 0,
                UpdatedAt = now,
            }, cancellationToken) ?? throw ApiException.AccountNotFound(account.Id);
    }

    private async Task<IntegratedAccount> RecordTransientFailureAsync(string accountId, ApiException exception, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Throttling says nothing about the key, so it never counts towards validation_error.
        var counts = exception.Error != ErrorCodes.RateLimited;
        return await events.UpdateAsync(accountId, current =>
        {
            var failures = current.ConsecutiveCheckFailures + (counts ? 1 : 0);
            return current with
            {
                Status = current.Status == AccountStatus.Active && failures >= options.Value.FailuresBeforeValidationError
                    ? AccountStatus.ValidationError
                    : current.Status,
                LastError = new AccountError(exception.Remote?.Status ?? exception.StatusCode, exception.Message, now),
                ConsecutiveCheckFailures = failures,
                UpdatedAt = now,
            };
        }, cancellationToken) ?? throw ApiException.AccountNotFound(accountId);
    }
}
