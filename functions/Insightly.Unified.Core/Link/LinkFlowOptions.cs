namespace Insightly.Unified.Link;

/// <summary>The hosted link flow (section <c>Link</c>; contract section 7).</summary>
public sealed class LinkFlowOptions
{
    public const string Section = "Link";

    public static readonly TimeSpan MinTokenLifetime = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(7);

    /// <summary>How long a link token can be used (<c>Link__TokenLifetime</c>, default 30 minutes).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Optional: the app's public address (<c>https://crm-api.example.com</c>) that link URLs start with, for a
    /// custom domain or a proxy in front of the app. Unset, the address the <c>link-tokens</c> request came to.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    public bool IsValid(out string? problem)
    {
        problem = TokenLifetime < MinTokenLifetime || TokenLifetime > MaxTokenLifetime
            ? $"Link:TokenLifetime must be between {MinTokenLifetime} and {MaxTokenLifetime}."
            : PublicBaseUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("https" or "http") || url.Query.Length > 0 || url.Fragment.Length > 0)
                ? "Link:PublicBaseUrl must be an absolute http(s) URL without query or fragment."
                : null;
        return problem is null;
    }
}
