using Insightly.Unified.IntegratedAccounts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Link;

/// <summary>Why a link token cannot be used.</summary>
public enum LinkTokenProblem
{
    /// <summary>No token was given.</summary>
    Missing,

    /// <summary>Not a token this app signed (forged, edited, truncated), or one it has no record of.</summary>
    Invalid,

    Expired,

    /// <summary>An account was already stored with it.</summary>
    Used,

    /// <summary>Another submission holds it right now.</summary>
    InUse,

    /// <summary>The account a reconnect link was made for was deleted or moved to another tenant.</summary>
    AccountGone,
}

public sealed class LinkTokenException(LinkTokenProblem problem)
    : Exception($"The link token cannot be used: {problem}.")
{
    public LinkTokenProblem Problem { get; } = problem;
}

/// <summary>What the SaaS backend asks a link token to grant.</summary>
public sealed record LinkGrant(string TenantId, string? Label, Uri? RedirectUrl, string? IntegratedAccountId);

/// <summary>
/// Issues link tokens and lets each store at most one account. A submission first claims the token (a
/// conditional write from <c>issued</c> to <c>claimed</c>, so of two concurrent submissions exactly one gets
/// it), then does its work, then burns it (<c>used</c>); if the work fails the claim is given back so the
/// person can correct a typo and try again. An expired token is refused before anything is claimed.
/// </summary>
/// <remarks>
/// A claim is a lease of <see cref="ClaimLease"/>: one left by a process that died is taken again after it, so the
/// link does not stay "in use" for the rest of its life. A new link's first claim reserves the id of the account
/// it creates (<see cref="LinkTokenRecord.LinkedAccountId"/>); a later claim keeps it, so the work can find the
/// account an earlier claim stored before it died or before its burn failed, instead of storing a second one.
/// When the burn itself fails after the work is done, the work still counts: the caller gets its result.
/// </remarks>
public sealed class LinkTokens(
    LinkTokenCodec codec,
    ILinkTokenStore store,
    IOptions<LinkFlowOptions> options,
    TimeProvider time,
    ILogger<LinkTokens> logger)
{
    private const int MaxClaimAttempts = 5;

    /// <summary>
    /// How long a claim holds the token. Far longer than a submission can take (a key check is two Insightly calls
    /// of at most a minute each, then a Key Vault and a Table write), so a live submission is never overtaken.
    /// </summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(10);

    public async Task<(string Token, LinkTokenRecord Record)> IssueAsync(LinkGrant grant, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (token, claims) = await codec.CreateAsync(now + options.Value.TokenLifetime, cancellationToken);
        var record = new LinkTokenRecord
        {
            Id = claims.Id,
            TenantId = grant.TenantId,
            Label = grant.Label,
            RedirectUrl = grant.RedirectUrl,
            IntegratedAccountId = grant.IntegratedAccountId,
            CreatedAt = now,
            ExpiresAt = claims.ExpiresAt,
            State = LinkTokenState.Issued,
        };
        await store.InsertAsync(record, cancellationToken);
        // The id alone is not a token (it carries no signature), so it may be logged.
        logger.LogInformation("Issued link token {LinkTokenId} for tenant {TenantId}, expiring {ExpiresAt:O}{Reconnect}",
            record.Id, record.TenantId, record.ExpiresAt, record.IntegratedAccountId is null ? "" : $", reconnecting {record.IntegratedAccountId}");
        return (token, record);
    }

    /// <summary>Checks the signature and the expiry only; no storage is read.</summary>
    public async Task<LinkTokenClaims> ReadAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new LinkTokenException(LinkTokenProblem.Missing);
        }

        var claims = await codec.ReadAsync(token, cancellationToken) ?? throw new LinkTokenException(LinkTokenProblem.Invalid);
        return claims.ExpiresAt <= time.GetUtcNow() ? throw new LinkTokenException(LinkTokenProblem.Expired) : claims;
    }

    /// <summary>The grant of a token that can still be used.</summary>
    public async Task<LinkTokenRecord> OpenAsync(string? token, CancellationToken cancellationToken) =>
        Usable(await FindAsync(await ReadAsync(token, cancellationToken), cancellationToken)).Record;

    /// <summary>
    /// Runs <paramref name="use"/> at most once per token: claims the token, runs it, then burns the token and
    /// records the account it returned. When <paramref name="use"/> throws, the claim is given back and the
    /// exception goes on.
    /// </summary>
    public async Task<T> RedeemAsync<T>(
        string? token, Func<LinkTokenRecord, CancellationToken, Task<T>> use, Func<T, string> accountIdOf, CancellationToken cancellationToken)
    {
        var claims = await ReadAsync(token, cancellationToken);
        var (claimed, etag) = await ClaimAsync(claims, cancellationToken);

        T result;
        try
        {
            result = await use(claimed, cancellationToken);
        }
        catch (Exception)
        {
            await ReleaseAsync(claimed, etag);
            throw;
        }

        // The work is done: nothing may undo the burn, not even the caller hanging up.
        var used = claimed with { State = LinkTokenState.Used, UsedAt = time.GetUtcNow(), LinkedAccountId = accountIdOf(result) };
        try
        {
            if (await store.TryReplaceAsync(used, etag, CancellationToken.None) is null)
            {
                // Only a submission that took over an expired claim can have moved it on, or the row was deleted.
                logger.LogWarning("Link token {LinkTokenId} changed while claimed; it stays unusable", claimed.Id);
            }
        }
        catch (Exception exception)
        {
            // The account is stored, which is what the person came for. The token stays claimed; a later claim finds
            // the account by its reserved id rather than storing another.
            logger.LogError("Link token {LinkTokenId} did its work but could not be marked used: {ErrorType} {ErrorMessage}",
                claimed.Id, exception.GetType().Name, exception.Message);
        }

        logger.LogInformation("Link token {LinkTokenId} used for account {AccountId} of tenant {TenantId}",
            claimed.Id, used.LinkedAccountId, claimed.TenantId);
        return result;
    }

    /// <summary>
    /// Removes the records of expired tokens, used ones included: an expired token is refused from its signed expiry
    /// before its record is read, so the record has no use left.
    /// </summary>
    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) => store.DeleteExpiredAsync(time.GetUtcNow(), cancellationToken);

    private async Task<(LinkTokenRecord Record, Azure.ETag ETag)> ClaimAsync(LinkTokenClaims claims, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (record, etag) = Usable(await FindAsync(claims, cancellationToken));
            if (record.State == LinkTokenState.Claimed)
            {
                logger.LogWarning("Link token {LinkTokenId} was claimed at {ClaimedAt:O} and never given back; its lease is over, so it is claimed again",
                    record.Id, record.ClaimedAt);
            }

            var claimed = record with
            {
                State = LinkTokenState.Claimed,
                ClaimedAt = time.GetUtcNow(),
                LinkedAccountId = record.LinkedAccountId ?? (record.IntegratedAccountId is null ? AccountIds.New() : null),
            };
            if (await store.TryReplaceAsync(claimed, etag, cancellationToken) is { } claimedEtag)
            {
                return (claimed, claimedEtag);
            }

            if (attempt == MaxClaimAttempts)
            {
                throw new LinkTokenException(LinkTokenProblem.InUse);
            }
        }
    }

    private async Task ReleaseAsync(LinkTokenRecord claimed, Azure.ETag etag)
    {
        try
        {
            var released = claimed with { State = LinkTokenState.Issued, ClaimedAt = null };
            if (await store.TryReplaceAsync(released, etag, CancellationToken.None) is null)
            {
                logger.LogWarning("Link token {LinkTokenId} changed while claimed and was not given back", claimed.Id);
            }
        }
        catch (Exception exception)
        {
            // The original failure matters to the person; this token stays claimed and they need a new link.
            logger.LogError("Could not give back link token {LinkTokenId}: {ErrorType} {ErrorMessage}",
                claimed.Id, exception.GetType().Name, exception.Message);
        }
    }

    private async Task<StoredLinkToken> FindAsync(LinkTokenClaims claims, CancellationToken cancellationToken) =>
        // A correctly signed token without a record: its row was removed, or it was signed elsewhere with the same key.
        await store.FindAsync(claims.Id, cancellationToken) ?? throw new LinkTokenException(LinkTokenProblem.Invalid);

    private StoredLinkToken Usable(StoredLinkToken stored) =>
        stored.Record.State switch
        {
            LinkTokenState.Used => throw new LinkTokenException(LinkTokenProblem.Used),
            LinkTokenState.Claimed when stored.Record.ClaimedAt + ClaimLease > time.GetUtcNow() => throw new LinkTokenException(LinkTokenProblem.InUse),
            _ when stored.Record.ExpiresAt <= time.GetUtcNow() => throw new LinkTokenException(LinkTokenProblem.Expired),
            _ => stored,
        };
}
