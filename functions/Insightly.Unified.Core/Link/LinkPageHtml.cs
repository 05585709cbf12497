using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Insightly.Unified.Link;

/// <summary>What went wrong with a submission, and which field to fix (<c>api_key</c>, <c>api_url</c>, or none).</summary>
public sealed record LinkPageError(string Title, string Message, string? Field = null);

/// <summary>The link form as it is shown: what the person typed (never the key) and any error.</summary>
public sealed record LinkFormView(
    string Action, string Token, bool Reconnect, DateTimeOffset ExpiresAt, string? ApiUrl, LinkPageError? Error);

/// <summary>
/// The link page's HTML: plain, accessible (labels, hints and errors tied to their fields, an alert that takes
/// focus, visible focus rings), responsive and light or dark with the system. No framework, nothing loaded from
/// anywhere: one inline style and one inline script, both allowed by hash in the page's CSP. Every value that
/// reaches the page is HTML-encoded, and the API key is never written into it.
/// </summary>
public static class LinkPageHtml
{
    public const string Style =
        """
        :root{color-scheme:light dark;--bg:#f3f5fa;--card:#fff;--text:#1b2330;--muted:#4f5b6e;--border:#c9d1de;--accent:#1d5bd0;--accent-text:#fff;--focus:#e39b00;--error:#b3261e;--error-bg:#fdecea;--ok:#1c7339;--ok-bg:#e6f4ea;--code-bg:#eceff5}
        @media (prefers-color-scheme:dark){:root{--bg:#0e131a;--card:#17202b;--text:#e6ebf2;--muted:#a8b3c3;--border:#3a4658;--accent:#7ea9ff;--accent-text:#0a1220;--focus:#ffc94d;--error:#ffb4ab;--error-bg:#3a1714;--ok:#8fd6a5;--ok-bg:#11301d;--code-bg:#232d3a}}
        *{box-sizing:border-box}
        body{margin:0;min-height:100vh;background:var(--bg);color:var(--text);font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;display:flex;justify-content:center;align-items:flex-start;padding:clamp(.75rem,4vw,3rem) clamp(.75rem,4vw,1.5rem)}
        main{width:100%;max-width:36rem;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:clamp(1.25rem,5vw,2.25rem);box-shadow:0 1px 3px rgb(0 0 0/8%)}
        h1{font-size:1.5rem;line-height:1.25;margin:0 0 .5rem}
        h2{font-size:1.05rem;margin:1.5rem 0 .5rem}
        p{margin:.5rem 0}
        .lead{color:var(--muted)}
        ol{padding-left:1.4rem;margin:.5rem 0}
        li{margin:.3rem 0}
        code{background:var(--code-bg);padding:.1rem .3rem;border-radius:4px;font-size:.9em;overflow-wrap:anywhere}
        .field{margin:1.25rem 0}
        label{display:block;font-weight:600;margin-bottom:.2rem}
        .hint{color:var(--muted);font-size:.9rem;margin:0 0 .4rem}
        input{width:100%;font:inherit;padding:.65rem .75rem;border:1px solid var(--border);border-radius:8px;background:var(--card);color:var(--text)}
        input[aria-invalid=true]{border:2px solid var(--error)}
        :focus-visible{outline:3px solid var(--focus);outline-offset:2px}
        button{width:100%;font:inherit;font-weight:600;padding:.75rem 1rem;border:0;border-radius:8px;background:var(--accent);color:var(--accent-text);cursor:pointer;margin-top:.5rem}
        button:disabled{opacity:.75;cursor:progress}
        .field-error{color:var(--error);font-weight:600;font-size:.95rem;margin:0 0 .4rem}
        .alert{border-left:4px solid var(--error);background:var(--error-bg);padding:.75rem 1rem;border-radius:6px;margin:1rem 0}
        .alert h2{margin:0 0 .25rem;font-size:1rem}
        .fine{color:var(--muted);font-size:.875rem;margin-top:1.25rem}
        .icon{width:2.75rem;height:2.75rem;display:block;margin-bottom:.75rem}
        .icon-ok{color:var(--ok)}
        .icon-problem{color:var(--error)}
        """;

    public const string Script =
        """
        (function(){var f=document.getElementById("link-form");if(!f)return;var b=f.querySelector("button");var l=b.textContent;
        f.addEventListener("submit",function(){b.disabled=true;b.textContent="Checking your key with Insightly\u2026";});
        window.addEventListener("pageshow",function(){b.disabled=false;b.textContent=l;});})();
        """;

    private const string ExampleApiUrl = "https://api.na1.insightly.com/v3.1/";

    // Every character outside ASCII stays readable (the page is UTF-8); markup characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Form(LinkFormView view)
    {
        var title = view.Reconnect ? "Reconnect your Insightly account" : "Connect your Insightly account";
        var error = view.Error;
        var keyError = error?.Field == "api_key";
        var urlError = error?.Field == "api_url";
        var body = new StringBuilder();
        body.Append($"<h1>{title}</h1>");
        body.Append(view.Reconnect
            ? "<p class=\"lead\">The Insightly API key we have for your account no longer works. Paste a current key to keep things running.</p>"
            : "<p class=\"lead\">Paste your Insightly API key and API URL to connect your CRM. It takes about a minute.</p>");
        if (error is not null)
        {
            body.Append($"<div class=\"alert\" role=\"alert\" id=\"problem\"><h2>{E(error.Title)}</h2><p>{E(error.Message)}</p></div>");
        }

        body.Append("<h2 id=\"where\">Where to find them in Insightly</h2><ol>")
            .Append("<li>Sign in to Insightly.</li>")
            .Append("<li>Select your profile picture (top right), then <strong>User Settings</strong>.</li>")
            .Append("<li>Scroll to the <strong>API</strong> section. Copy the <strong>API key</strong> and the <strong>API URL</strong>, ")
            .Append($"which looks like <code>{ExampleApiUrl}</code>.</li></ol>");

        body.Append($"<form id=\"link-form\" method=\"post\" action=\"{E(view.Action)}\" aria-describedby=\"where\">")
            .Append($"<input type=\"hidden\" name=\"token\" value=\"{E(view.Token)}\">");

        body.Append("<div class=\"field\"><label for=\"api_key\">API key</label>")
            .Append("<p class=\"hint\" id=\"api_key-hint\">A long code such as <code>0a1b2c3d-…</code>. It is stored encrypted and never shown again.</p>");
        if (keyError)
        {
            body.Append($"<p class=\"field-error\" id=\"api_key-error\">{E(error!.Title)}</p>");
        }

        // The key is never written back: after an error the person pastes it again.
        body.Append("<input id=\"api_key\" name=\"api_key\" type=\"password\" required maxlength=\"256\" autocomplete=\"off\" spellcheck=\"false\" autocapitalize=\"none\"")
            .Append(keyError ? " aria-invalid=\"true\" aria-describedby=\"api_key-hint api_key-error\"" : " aria-describedby=\"api_key-hint\"")
            .Append(keyError || (error is not null && !urlError) ? " autofocus" : "")
            .Append("></div>");

        body.Append("<div class=\"field\"><label for=\"api_url\">API URL</label>")
            .Append("<p class=\"hint\" id=\"api_url-hint\">Shown just below the key; it names your Insightly region.</p>");
        if (urlError)
        {
            body.Append($"<p class=\"field-error\" id=\"api_url-error\">{E(error!.Title)}</p>");
        }

        body.Append("<input id=\"api_url\" name=\"api_url\" type=\"text\" inputmode=\"url\" required maxlength=\"2048\" autocomplete=\"off\" spellcheck=\"false\" autocapitalize=\"none\"")
            .Append($" placeholder=\"{ExampleApiUrl}\"")
            .Append(view.ApiUrl is null ? "" : $" value=\"{E(view.ApiUrl)}\"")
            .Append(urlError ? " aria-invalid=\"true\" aria-describedby=\"api_url-hint api_url-error\" autofocus" : " aria-describedby=\"api_url-hint\"")
            .Append("></div>");

        body.Append($"<button type=\"submit\">{(view.Reconnect ? "Reconnect Insightly" : "Connect Insightly")}</button></form>");
        body.Append("<p class=\"fine\">The key acts with your Insightly user's permissions. To revoke it at any time, generate a new key in Insightly.</p>")
            .Append($"<p class=\"fine\">This link works once, until <time datetime=\"{view.ExpiresAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\">")
            .Append(E(view.ExpiresAt.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)))
            .Append("</time>.</p>");
        return Document(error is null ? title : "Error: " + title, body.ToString());
    }

    public static string Success(string title, string message) =>
        Document(title, $"{Icon(ok: true)}<h1>{E(title)}</h1><p role=\"status\">{E(message)}</p><p class=\"fine\">You can close this window.</p>");

    /// <summary>A page with no form: the link cannot be used, or something failed outside the person's control.</summary>
    public static string Problem(LinkPageError problem) =>
        Document(problem.Title, $"{Icon(ok: false)}<h1>{E(problem.Title)}</h1><p>{E(problem.Message)}</p>");

    private static string Icon(bool ok) => ok
        ? "<svg class=\"icon icon-ok\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\"><circle cx=\"12\" cy=\"12\" r=\"11\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/><path d=\"M7 12.5l3.2 3.2L17 9\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2.2\" stroke-linecap=\"round\" stroke-linejoin=\"round\"/></svg>"
        : "<svg class=\"icon icon-problem\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\"><circle cx=\"12\" cy=\"12\" r=\"11\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"/><path d=\"M12 6.5v7\" stroke=\"currentColor\" stroke-width=\"2.2\" stroke-linecap=\"round\"/><circle cx=\"12\" cy=\"17.2\" r=\"1.3\" fill=\"currentColor\"/></svg>";

    private static string Document(string title, string body) =>
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<meta name=\"color-scheme\" content=\"light dark\"><meta name=\"robots\" content=\"noindex, nofollow\">"
        + $"<title>{E(title)}</title><style>{Style}</style></head>"
        + $"<body><main>{body}</main><script>{Script}</script></body></html>";

    private static string E(string value) => Encoder.Encode(value);
}
