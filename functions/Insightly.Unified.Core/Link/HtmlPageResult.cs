using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Insightly.Unified.Link;

/// <summary>
/// An HTML page (or a redirect away from one) with the headers every link-page response carries: a strict
/// Content-Security-Policy (nothing loads; only the page's own style and script, by hash, run; the form posts
/// only to this app or the link's redirect origin; no framing), <c>X-Frame-Options: DENY</c>,
/// <c>Cache-Control: no-store</c> and a referrer policy that keeps the token in the URL on this origin.
/// </summary>
public sealed class HtmlPageResult(int statusCode, string html, IReadOnlyCollection<string> formActionOrigins) : IActionResult
{
    public int StatusCode { get; } = statusCode;

    public string Html { get; } = html;

    /// <summary>Set for a 303 to the link's redirect URL.</summary>
    public Uri? Location { get; init; }

    public string ContentSecurityPolicy { get; } = Policy(formActionOrigins);

    public static HtmlPageResult Redirect(Uri location, IReadOnlyCollection<string> formActionOrigins) =>
        new(StatusCodes.Status303SeeOther, "", formActionOrigins) { Location = location };

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        headers["Referrer-Policy"] = "same-origin";
        headers.XContentTypeOptions = "nosniff";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        if (Location is not null)
        {
            headers.Location = Location.AbsoluteUri;
            return;
        }

        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(Html, Encoding.UTF8, context.HttpContext.RequestAborted);
    }

    private static readonly string StyleHash = Sha256(LinkPageHtml.Style);
    private static readonly string ScriptHash = Sha256(LinkPageHtml.Script);

    private static string Policy(IEnumerable<string> formActionOrigins) =>
        string.Join("; ",
            "default-src 'none'",
            $"style-src '{StyleHash}'",
            $"script-src '{ScriptHash}'",
            "form-action " + string.Join(' ', formActionOrigins.Prepend("'self'").Distinct(StringComparer.Ordinal)),
            "frame-ancestors 'none'",
            "base-uri 'none'");

    private static string Sha256(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
