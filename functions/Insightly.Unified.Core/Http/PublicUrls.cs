using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Http;

/// <summary>The app's public address (<c>Link__PublicBaseUrl</c>; the setting's name predates its other users).</summary>
public sealed class PublicUrlOptions
{
    public const string Section = "Link";

    public const string Setting = $"{Section}__{nameof(PublicBaseUrl)}";

    /// <summary>
    /// The address callers and browsers reach the app at (<c>https://crm-api.example.com</c>), which every URL the
    /// app hands out starts with. Required whenever Key Vault is configured (Azure); the Bicep template sets it to
    /// <c>https://{defaultHostName}</c>. Unset (local runs), the address a request came to.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Absolute http(s), no user info, query or fragment; https and set when <paramref name="keyVaultConfigured"/>.</summary>
    public bool IsValid(bool keyVaultConfigured, out string? problem)
    {
        problem = PublicBaseUrl switch
        {
            null when keyVaultConfigured =>
                $"{Setting} is not set, but KeyVault__Uri is. Set {Setting} to the app's public https address " +
                "(https://<app>.azurewebsites.net, or its custom domain): in Azure the worker may see an internal host and scheme, " +
                "so link URLs cannot be taken from the request. The Bicep template sets it.",
            null => null,
            { IsAbsoluteUri: false } or { Scheme: not ("https" or "http") } or { UserInfo.Length: > 0 } or { Query.Length: > 0 } or { Fragment.Length: > 0 } =>
                $"{Setting} must be an absolute https URL without user info, query or fragment, such as https://crm-api.example.com.",
            { Scheme: "http" } when keyVaultConfigured =>
                $"{Setting} must be an https URL when KeyVault__Uri is set (got '{PublicBaseUrl}').",
            _ => null,
        };
        return problem is null;
    }
}

/// <summary>Checks <see cref="PublicUrlOptions"/> at start-up against whether Key Vault is configured, naming the problem.</summary>
/// <param name="keyVaultConfigured">Read from the settings themselves, so a Key Vault setting that fails its own check does not hide this one.</param>
public sealed class PublicUrlOptionsValidation(bool keyVaultConfigured) : IValidateOptions<PublicUrlOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicUrlOptions options) =>
        options.IsValid(keyVaultConfigured, out var problem)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(problem!);
}

/// <summary>
/// The app's public URLs, for every link it hands out (the link page now; an MCP endpoint's URL likewise) and for
/// telling its own pages from other sites. Behind the Functions host a request's host and scheme may be the worker's
/// internal address, so they come from <see cref="PublicUrlOptions.PublicBaseUrl"/> wherever it is set.
/// </summary>
public sealed class PublicUrls(IOptions<PublicUrlOptions> options)
{
    /// <summary>The app's root as callers reach it, ending in <c>/</c>: the setting, else where this request came to.</summary>
    public Uri Root(HttpRequest request)
    {
        var root = options.Value.PublicBaseUrl?.AbsoluteUri ?? $"{request.Scheme}://{request.Host}{request.PathBase}/";
        return new Uri(root.EndsWith('/') ? root : root + "/");
    }

    /// <summary>The public URL of <paramref name="path"/>, relative to the root (e.g. <c>api/link</c>).</summary>
    public Uri For(HttpRequest request, string path) => new(Root(request), path);

    /// <summary>Whether an <c>Origin</c> is the app's own: the public base's origin when set, else the request's host.</summary>
    public bool IsOwnOrigin(HttpRequest request, Uri origin)
    {
        if (options.Value.PublicBaseUrl is { } publicBase)
        {
            return string.Equals(origin.GetLeftPart(UriPartial.Authority), publicBase.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
        }

        var authority = origin.IsDefaultPort ? origin.Host : $"{origin.Host}:{origin.Port}";
        return string.Equals(authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
