using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Insightly.Unified.Proxy;

/// <summary>
/// Which headers cross the proxy, both ways. Both lists are allow-lists, so whatever a caller, the Functions
/// front end or Insightly adds never leaks across by accident.
/// </summary>
public static class ProxyHeaders
{
    /// <summary>
    /// Request headers sent to Insightly besides the body's <c>Content-Type</c> (and <c>Content-Length</c>, which
    /// describes the body sent): the conditional headers Insightly's ETags are for. Nothing else goes, so the
    /// caller's <c>Authorization</c>, <c>Cookie</c>, <c>x-functions-key</c>, <c>X-Integrated-Account-Id</c>,
    /// <c>Host</c>, <c>X-Forwarded-*</c> and hop-by-hop headers (<c>Connection</c>, <c>Keep-Alive</c>, <c>TE</c>,
    /// <c>Trailer</c>, <c>Transfer-Encoding</c>, <c>Upgrade</c>, <c>Proxy-*</c>) never do. <c>Accept-Encoding</c>
    /// is not sent either: <c>Content-Encoding</c> is not among the headers returned, so the body must come back
    /// unencoded. Insightly gets <c>Accept: application/json</c> and the account's Basic auth from the client.
    /// </summary>
    public static readonly IReadOnlyList<string> ForwardedUpstream = ["If-Match", "If-None-Match"];

    /// <summary>Response headers returned to the caller as Insightly sent them; <c>X-RateLimit-*</c> is a prefix.</summary>
    public static readonly IReadOnlyList<string> ReturnedToCaller =
        ["Content-Type", "Content-Length", "ETag", "X-Total-Count", "Retry-After", "X-RateLimit-*"];

    /// <summary>
    /// Added to every answer of the proxy route, Insightly's and its own: they come from the link page's origin, so no
    /// browser may sniff a body into HTML (<c>nosniff</c>) or run one as a page with that origin (<c>sandbox</c> makes
    /// any document rendered from it an opaque origin without scripts).
    /// </summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> AddedToEveryAnswer =
    [
        KeyValuePair.Create("X-Content-Type-Options", "nosniff"),
        KeyValuePair.Create("Content-Security-Policy", "sandbox"),
    ];

    /// <summary>Adds <see cref="AddedToEveryAnswer"/> as the response starts, whichever result writes it.</summary>
    public static void Protect(HttpResponse response) =>
        response.OnStarting(() =>
        {
            foreach (var (name, value) in AddedToEveryAnswer)
            {
                response.Headers[name] = value;
            }

            return Task.CompletedTask;
        });

    public static bool IsReturnedToCaller(string name) =>
        name.StartsWith("X-RateLimit-", StringComparison.OrdinalIgnoreCase)
        || ReturnedToCaller.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The caller's headers that go upstream, by name.</summary>
    public static IEnumerable<KeyValuePair<string, StringValues>> Upstream(IHeaderDictionary headers) =>
        ForwardedUpstream
            .Select(name => KeyValuePair.Create(name, headers[name]))
            .Where(header => !StringValues.IsNullOrEmpty(header.Value));

    /// <summary>
    /// Insightly's headers that come back: <c>Content-Length</c> only where Insightly sent one (a chunked answer
    /// stays chunked), and never on answers that cannot have a body.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, StringValues>> ToCaller(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var bodiless = status is < 200 or 204 or 304;
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            if (!IsReturnedToCaller(name) || (bodiless && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            yield return KeyValuePair.Create(name, new StringValues(values.ToArray()));
        }
    }
}
