using Insightly.Unified.Http;
using Microsoft.AspNetCore.Http;

namespace Insightly.Unified.Link;

/// <summary>
/// Refuses a form submission that a browser made from another site, the way Go's
/// <c>http.CrossOriginProtection</c> does: <c>Sec-Fetch-Site</c> when the browser sends it (every current one
/// does) must be <c>same-origin</c> (or <c>none</c>, a user-typed navigation); without it, an <c>Origin</c> header
/// must name this app (<see cref="PublicUrls.IsOwnOrigin"/>). A request with neither is not from a browser, and the
/// single-use token alone protects it.
/// </summary>
public static class CrossSiteCheck
{
    public static bool IsCrossSite(HttpRequest request, PublicUrls urls)
    {
        var site = request.Headers["Sec-Fetch-Site"];
        if (site.Count > 0)
        {
            return !(site.Count == 1 && site[0] is "same-origin" or "none");
        }

        var origin = request.Headers.Origin;
        if (origin.Count == 0)
        {
            return false;
        }

        if (origin.Count > 1 || !Uri.TryCreate(origin[0], UriKind.Absolute, out var from))
        {
            // Includes "null": an opaque origin (a sandboxed frame, a data: page) is never this site.
            return true;
        }

        return !urls.IsOwnOrigin(request, from);
    }
}
