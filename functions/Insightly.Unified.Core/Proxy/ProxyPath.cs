using System.Text;
using Insightly.Unified.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Insightly.Unified.Proxy;

/// <summary>
/// Where a proxied request may go: below the account's <c>/v3.1/</c> base and nowhere else (contract section 4).
/// </summary>
/// <remarks>
/// One rule refuses every way out. The path is split on <c>/</c>; each segment is percent-decoded exactly once
/// and must then consist only of RFC 3986 unreserved characters (<c>A–Z a–z 0–9 - . _ ~</c>) and not only of dots.
/// So <c>..</c> in any encoding (<c>%2e%2e</c>, <c>%252e</c> which decodes to <c>%2e</c>, overlong UTF-8 such as
/// <c>%c0%ae</c>, fullwidth dots), encoded <c>/</c> or <c>\</c>, backslashes, <c>:</c> (schemes, ports),
/// <c>@</c> (user info), empty segments (<c>//host</c>, a leading <c>/</c>), <c>;</c>, <c>%</c>, spaces, control
/// characters and any non-ASCII byte are all refused. Insightly's own paths (collection names, ids,
/// <c>Search</c>, <c>Users/Me</c>, <c>…__c</c> names) never need anything else. The accepted segments need no
/// escaping, so the upstream path is exactly the decoded segments joined with <c>/</c>, and
/// <see cref="Insightly.InsightlyClient.EnsureWithinBase"/> still asserts that the final URI stays below the base.
/// </remarks>
public static class ProxyPath
{
    public const string Parameter = "path";

    /// <summary>The proxy's route below the host's <c>/api</c> prefix (host.json <c>routePrefix</c>).</summary>
    public const string RoutePrefix = "/api/proxy";

    private const int MaxEchoedLength = 200;

    /// <summary>
    /// The path to send upstream, relative to the v3.1 base. The route value is what the host decoded (and
    /// normalised: servers remove <c>.</c> and <c>..</c> segments before routing); where the server also exposes
    /// the request target as the caller sent it, that is checked too, so a <c>..</c> the server removed is
    /// still refused rather than silently resolved.
    /// </summary>
    public static string FromRequest(HttpRequest request, string? routePath)
    {
        var raw = RawPathBelowPrefix(request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget);
        var fromRaw = raw is null ? null : Validate(raw);
        var path = Validate(routePath);
        if (fromRaw is not null && !string.Equals(fromRaw, path, StringComparison.Ordinal))
        {
            throw Refused(raw!, "the server normalised it into another path");
        }

        return path;
    }

    /// <summary>Checks an encoded path (what follows <c>/api/proxy/</c>) and returns its canonical form.</summary>
    public static string Validate(string? encodedPath)
    {
        if (string.IsNullOrEmpty(encodedPath))
        {
            throw ApiException.MissingParameter(Parameter,
                "Name the Insightly resource after /api/proxy/, relative to its /v3.1/ base, e.g. /api/proxy/Contacts/101.");
        }

        var segments = encodedPath.Split('/');
        var decoded = new List<string>(segments.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0)
            {
                // One trailing slash (Contacts/) is harmless; any other empty segment (//host, a leading /) is not.
                if (i == segments.Length - 1 && i > 0)
                {
                    decoded.Add("");
                    continue;
                }

                throw Refused(encodedPath, "it has an empty segment ('//' or a leading '/')");
            }

            var text = DecodeOnce(segment, encodedPath);
            if (text.All(c => c == '.'))
            {
                throw Refused(encodedPath, "a segment made only of dots ('.', '..') would leave the base");
            }

            decoded.Add(text);
        }

        return string.Join('/', decoded);
    }

    /// <summary>
    /// The caller's query string without <c>integrated_account_id</c> (ours) and <c>code</c> (the function key);
    /// every other parameter goes upstream exactly as it was encoded, in its order.
    /// </summary>
    public static string ForwardedQuery(QueryString query)
    {
        var value = query.Value;
        if (string.IsNullOrEmpty(value) || value == "?")
        {
            return "";
        }

        var kept = value[1..].Split('&')
            .Where(pair => pair.Length > 0)
            .Where(pair => !IsOwnParameter(pair[..(pair.IndexOf('=') is var equals and >= 0 ? equals : pair.Length)]))
            .ToList();
        return kept.Count == 0 ? "" : "?" + string.Join('&', kept);
    }

    private static bool IsOwnParameter(string encodedName)
    {
        string name;
        try
        {
            name = Uri.UnescapeDataString(encodedName.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return false;
        }

        return name.Equals("integrated_account_id", StringComparison.OrdinalIgnoreCase)
            || name.Equals("code", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Decodes <c>%XX</c> once; the decoded bytes must all be unreserved ASCII characters.</summary>
    private static string DecodeOnce(string segment, string encodedPath)
    {
        var text = new StringBuilder(segment.Length);
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !IsHex(segment[i + 1]) || !IsHex(segment[i + 2]))
                {
                    throw Refused(encodedPath, "it has a malformed percent-escape");
                }

                c = (char)Convert.ToByte(segment.Substring(i + 1, 2), 16);
                i += 2;
                if (!IsUnreserved(c))
                {
                    throw Refused(encodedPath, $"it encodes {Describe(c)}");
                }
            }
            else if (!IsUnreserved(c))
            {
                throw Refused(encodedPath, $"it contains {Describe(c)}");
            }

            text.Append(c);
        }

        return text.ToString();
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static string Describe(char c) => c switch
    {
        '/' => "'/'",
        '\\' => "a backslash",
        ':' => "':' (a scheme or a port)",
        '@' => "'@' (user info)",
        '%' => "'%' (double encoding)",
        < ' ' or '\x7f' => "a control character",
        > '\x7f' => "a byte outside ASCII",
        _ => $"'{c}'",
    };

    /// <summary>What follows <c>/api/proxy</c> in the request target as sent; null when it cannot be told.</summary>
    internal static string? RawPathBelowPrefix(string? rawTarget)
    {
        if (string.IsNullOrEmpty(rawTarget) || rawTarget[0] != '/')
        {
            // Absent, or absolute-form / asterisk-form: the route value (already validated) is all there is.
            return null;
        }

        var end = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = end < 0 ? rawTarget : rawTarget[..end];
        if (!rawPath.StartsWith(RoutePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = rawPath[RoutePrefix.Length..];
        return rest.Length == 0 ? "" : rest[0] == '/' ? rest[1..] : null;
    }

    private static ApiException Refused(string path, string reason)
    {
        var shown = path.Length > MaxEchoedLength ? path[..MaxEchoedLength] + "…" : path;
        return ApiException.InvalidParameter(Parameter,
            $"The proxy path '{shown}' is refused: {reason}. Give a path relative to Insightly's /v3.1/ base made of " +
            "letters, digits and - . _ ~ between single slashes, e.g. /api/proxy/Contacts/101.");
    }
}
