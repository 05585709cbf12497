using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.IntegratedAccounts;

namespace Insightly.Unified.Link;

/// <summary>Body of <c>POST /link-tokens</c>.</summary>
public static class LinkTokenRequest
{
    public const int MaxRedirectUrlLength = 2048;

    /// <param name="allowLoopbackHttp">Whether <c>http://localhost</c> redirects are allowed (development secret store only).</param>
    public static LinkGrant Parse(JsonObject body, bool allowLoopbackHttp)
    {
        var fields = new BodyFields(body);
        fields.RejectUnknown("tenant_id", "label", "redirect_url", "integrated_account_id");
        var redirect = fields.OptionalString("redirect_url", MaxRedirectUrlLength);
        return new LinkGrant(
            fields.RequiredString("tenant_id", LinkAccountRequest.MaxTenantIdLength),
            fields.OptionalString("label", LinkAccountRequest.MaxLabelLength),
            redirect is null ? null : RedirectUrl(redirect, allowLoopbackHttp),
            fields.OptionalString("integrated_account_id", 64));
    }

    private static Uri RedirectUrl(string value, bool allowLoopbackHttp)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url)
            || !(url.Scheme == Uri.UriSchemeHttps || (allowLoopbackHttp && url.Scheme == Uri.UriSchemeHttp && IsLoopback(url)))
            || url.UserInfo.Length > 0
            || url.Host.Length == 0)
        {
            throw ApiException.InvalidBody(
                allowLoopbackHttp
                    ? "'redirect_url' must be an absolute https URL (or http://localhost / http://127.0.0.1 while the development secret store is in use), without user info."
                    : "'redirect_url' must be an absolute https URL without user info.",
                "redirect_url");
        }

        if (System.Web.HttpUtility.ParseQueryString(url.Query).AllKeys.Contains("integrated_account_id", StringComparer.OrdinalIgnoreCase))
        {
            throw ApiException.InvalidBody("'redirect_url' must not carry integrated_account_id; it is appended on success.", "redirect_url");
        }

        return url;
    }

    private static bool IsLoopback(Uri url) => url.IsLoopback || url.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Answer of <c>POST /link-tokens</c>.</summary>
public sealed record IssuedLinkToken(string LinkToken, Uri Url, DateTimeOffset ExpiresAt);
