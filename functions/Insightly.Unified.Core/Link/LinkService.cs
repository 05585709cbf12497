using System.Text.Json.Nodes;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.IntegratedAccounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Link;

/// <summary>What the link page's form posts. The key is never part of its text form.</summary>
public sealed record LinkForm(string? Token, string? ApiKey, string? ApiUrl)
{
    public override string ToString() => $"LinkForm {{ HasKey = {!string.IsNullOrEmpty(ApiKey)} }}";
}

/// <summary>A stored account and where the browser goes next.</summary>
public sealed record LinkResult(IntegratedAccount Account, bool Reconnected, Uri? RedirectTo);

/// <summary>A usable token's grant, with the API URL to suggest (a reconnect link knows the account's pod).</summary>
public sealed record OpenedLink(LinkTokenRecord Grant, string? SuggestedApiUrl);

/// <summary>
/// The link flow (contract section 7): the SaaS backend asks for a link token; the person it hands the link
/// to submits their key through the hosted page; the key is checked and stored by <see cref="AccountService"/>
/// exactly as <c>POST /integrated-accounts</c> (or, for a reconnect link, <c>PATCH</c> with a new key) does.
/// </summary>
public sealed class LinkService(
    LinkTokens tokens,
    AccountService accounts,
    PublicUrls urls,
    IOptions<SecretStoreOptions> secretStore)
{
    public const string PagePath = "api/link";

    /// <summary>Issues a token and the public URL of its page.</summary>
    public async Task<IssuedLinkToken> IssueAsync(JsonObject body, HttpRequest request, CancellationToken cancellationToken)
    {
        // Loopback http redirects are for local development, as for webhooks (contract section 8).
        var grant = LinkTokenRequest.Parse(body, allowLoopbackHttp: secretStore.Value.Uri is null);
        if (grant.IntegratedAccountId is { } accountId)
        {
            var account = await accounts.GetAsync(accountId, cancellationToken);
            if (account.TenantId != grant.TenantId)
            {
                throw ApiException.InvalidBody(
                    $"Account '{accountId}' does not belong to tenant '{grant.TenantId}'; a reconnect link must be issued for the account's own tenant_id.",
                    "integrated_account_id", "tenant_id");
            }
        }

        var (token, record) = await tokens.IssueAsync(grant, cancellationToken);
        return new IssuedLinkToken(token, urls.For(request, PagePath + "?token=" + Uri.EscapeDataString(token)), record.ExpiresAt);
    }

    public async Task<OpenedLink> OpenAsync(string? token, CancellationToken cancellationToken)
    {
        var grant = await tokens.OpenAsync(token, cancellationToken);
        if (grant.IntegratedAccountId is not { } accountId)
        {
            return new OpenedLink(grant, null);
        }

        var account = await ReconnectTargetAsync(grant, accountId, cancellationToken);
        return new OpenedLink(grant, InsightlyPod.ApiUrl(account.Pod));
    }

    public async Task<LinkResult> SubmitAsync(LinkForm form, CancellationToken cancellationToken)
    {
        // Token first (an expired link needs no typo fixed), then the form's shape, before anything is claimed.
        await tokens.ReadAsync(form.Token, cancellationToken);
        var request = LinkAccountRequest.FromForm(form.ApiKey, form.ApiUrl, tenantId: "", label: null);

        return await tokens.RedeemAsync(form.Token, async (grant, ct) =>
        {
            if (grant.IntegratedAccountId is not { } accountId)
            {
                // An earlier claim of this token may have stored the account and then died (or failed to burn the token).
                var linked = await accounts.FindAsync(grant.LinkedAccountId!, ct)
                    ?? await accounts.LinkAsync(request with { TenantId = grant.TenantId, Label = grant.Label, AccountId = grant.LinkedAccountId }, ct);
                return new LinkResult(linked, Reconnected: false, RedirectFor(grant, linked.Id));
            }

            var account = await ReconnectTargetAsync(grant, accountId, ct);
            if (account.Pod != request.Pod)
            {
                throw new ApiException(422, ErrorCodes.InvalidCredentials,
                    $"This account is connected to Insightly on pod '{account.Pod}', but the API URL is for '{request.Pod}'. Use the API URL shown under User Settings → API: {InsightlyPod.ApiUrl(account.Pod)}",
                    new JsonObject { ["pod"] = request.Pod, ["account_pod"] = account.Pod });
            }

            var updated = await accounts.UpdateAsync(accountId, UpdateAccountRequest.RotateKey(request.ApiKey, grant.Label), ct);
            return new LinkResult(updated, Reconnected: true, RedirectFor(grant, updated.Id));
        }, result => result.Account.Id, cancellationToken);
    }

    /// <summary>The account a reconnect link re-keys; it must still exist and still belong to the token's tenant.</summary>
    private async Task<IntegratedAccount> ReconnectTargetAsync(LinkTokenRecord grant, string accountId, CancellationToken cancellationToken)
    {
        IntegratedAccount account;
        try
        {
            account = await accounts.GetAsync(accountId, cancellationToken);
        }
        catch (ApiException exception) when (exception.Error == ErrorCodes.AccountNotFound)
        {
            throw new LinkTokenException(LinkTokenProblem.AccountGone);
        }

        return account.TenantId == grant.TenantId ? account : throw new LinkTokenException(LinkTokenProblem.AccountGone);
    }

    private static Uri? RedirectFor(LinkTokenRecord grant, string accountId)
    {
        if (grant.RedirectUrl is not { } redirect)
        {
            return null;
        }

        var builder = new UriBuilder(redirect);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : "") + "integrated_account_id=" + Uri.EscapeDataString(accountId);
        return builder.Uri;
    }
}
