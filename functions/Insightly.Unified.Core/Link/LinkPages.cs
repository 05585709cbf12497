using System.Text;
using System.Text.Unicode;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Insightly.Unified.Link;

/// <summary>
/// The hosted link page (<c>GET</c> and <c>POST /api/link</c>): reads the token and the form, runs
/// <see cref="LinkService"/>, and answers every outcome with a page a person can act on. Bad input of any kind
/// gets a specific 4xx page; after a refused key the form comes back with what was typed, except the key.
/// Only a bug gives a 500, and then a page with a correlation id rather than a stack trace.
/// </summary>
public sealed class LinkPages(LinkService link, PublicUrls urls, ILogger<LinkPages> logger)
{
    public const int MaxFormBytes = 16 * 1024;

    private static readonly string[] FormFields = ["token", "api_key", "api_url"];

    public async Task<IActionResult> ShowAsync(HttpRequest request)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var token = request.Query["token"];
        try
        {
            var opened = await link.OpenAsync(token.Count == 1 ? token[0] : null, cancellationToken);
            return FormPage(StatusCodes.Status200OK, request, token[0]!, opened, apiUrl: opened.SuggestedApiUrl, error: null);
        }
        catch (Exception exception)
        {
            return await FailureAsync(request, exception, form: null);
        }
    }

    public async Task<IActionResult> SubmitAsync(HttpRequest request)
    {
        if (CrossSiteCheck.IsCrossSite(request, urls))
        {
            logger.LogWarning("Refused a cross-site submission of the link form (Sec-Fetch-Site {Site}, Origin {Origin})",
                request.Headers["Sec-Fetch-Site"].ToString(), request.Headers.Origin.ToString());
            return Problem(StatusCodes.Status403Forbidden, new LinkPageError("This form was sent from another site",
                "For your security, the Insightly connection form only accepts submissions from its own page. Open the link you were given and submit the form there."));
        }

        LinkForm form;
        try
        {
            form = await ReadFormAsync(request);
        }
        catch (FormRejectedException rejected)
        {
            return Problem(rejected.StatusCode, new LinkPageError("The form could not be read", rejected.Message));
        }
        catch (Exception exception)
        {
            return await FailureAsync(request, exception, form: null);
        }

        try
        {
            var result = await link.SubmitAsync(form, request.HttpContext.RequestAborted);
            if (result.RedirectTo is { } redirect)
            {
                return HtmlPageResult.Redirect(redirect, [redirect.GetLeftPart(UriPartial.Authority)]);
            }

            var who = string.Join(", ", new[] { result.Account.Instance?.Name, result.Account.User?.Email }.Where(part => !string.IsNullOrEmpty(part)));
            var message = (result.Reconnected ? "Your Insightly account is connected again" : "Your Insightly account is now connected")
                          + (who.Length > 0 ? $" ({who})." : ".");
            return new HtmlPageResult(StatusCodes.Status200OK,
                LinkPageHtml.Success(result.Reconnected ? "Insightly reconnected" : "Insightly connected", message), []);
        }
        catch (Exception exception)
        {
            return await FailureAsync(request, exception, form);
        }
    }

    private async Task<IActionResult> FailureAsync(HttpRequest request, Exception exception, LinkForm? form)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The person closed the page; nobody reads an answer.
            return new StatusCodeResult(499);
        }

        if (exception is LinkTokenException tokenProblem)
        {
            return TokenProblem(tokenProblem.Problem);
        }

        var (status, error) = Describe(exception, request.HttpContext.TraceIdentifier);
        if (form is null)
        {
            return Problem(status, error);
        }

        // Show the form again with what was typed (never the key), if the link can still be used.
        OpenedLink opened;
        try
        {
            opened = await link.OpenAsync(form.Token, cancellationToken);
        }
        catch (LinkTokenException problem)
        {
            return TokenProblem(problem.Problem);
        }
        catch (Exception)
        {
            return Problem(status, error);
        }

        return FormPage(status, request, form.Token!, opened, form.ApiUrl, error);
    }

    private (int Status, LinkPageError Error) Describe(Exception exception, string correlationId)
    {
        switch (exception)
        {
            case ApiException { StatusCode: 400 } invalid when Fields(invalid).Contains("api_key"):
                return (400, new LinkPageError("Check the API key",
                    "Paste the API key from User Settings → API in Insightly; it is at most 256 characters.", "api_key"));
            case ApiException { StatusCode: 400 } invalid when Fields(invalid).Contains("api_url"):
                return (400, new LinkPageError("Check the API URL",
                    "That is not an Insightly API URL. Copy the API URL shown under User Settings → API; it looks like https://api.na1.insightly.com/v3.1/.", "api_url"));
            case ApiException { Error: ErrorCodes.InvalidCredentials } refused when HasDetail(refused, "key_pod") || HasDetail(refused, "account_pod"):
                return (422, new LinkPageError("The API URL does not match", refused.Message, "api_url"));
            case ApiException { Error: ErrorCodes.InvalidCredentials } refused when HasDetail(refused, "instance"):
                return (422, new LinkPageError("This key is from another Insightly account",
                    "The key belongs to a different Insightly instance than the account being reconnected. Sign in to the same Insightly account and copy its key.", "api_key"));
            case ApiException { Error: ErrorCodes.InvalidCredentials }:
                return (422, new LinkPageError("Insightly did not accept this API key",
                    "Copy the key again from User Settings → API and check the API URL beside it. If you generated a new key, the old one no longer works.", "api_key"));
            case ApiException { StatusCode: 429 }:
                return (429, new LinkPageError("Insightly is busy", "Insightly asked us to slow down. Nothing was saved; wait a minute and submit again."));
            case ApiException { StatusCode: 403 }:
                return (403, new LinkPageError("This key cannot use the Insightly API",
                    "Insightly answered that this user may not use the API. Ask your Insightly administrator to allow API access, or use another user's key.", "api_key"));
            case ApiException { StatusCode: >= 500 } or DependencyUnavailableException:
                logger.LogWarning("The link page could not complete, correlation id {CorrelationId}: {ErrorType} {ErrorMessage}",
                    correlationId, exception.GetType().Name, exception.Message);
                return (503, new LinkPageError("We could not finish connecting",
                    $"A service we depend on did not answer. Nothing was saved; try again in a minute. (Reference {correlationId})"));
            case ApiException { StatusCode: >= 400 } other:
                return (other.StatusCode, new LinkPageError("That did not work", other.Message));
            default:
                logger.LogError(exception, "Unhandled failure on the link page, correlation id {CorrelationId}", correlationId);
                return (500, new LinkPageError("Something went wrong on our side",
                    $"Nothing was saved. Try again, and if it keeps happening, quote reference {correlationId}."));
        }
    }

    private static bool HasDetail(ApiException exception, string name) => exception.Details?.ContainsKey(name) == true;

    private static IEnumerable<string> Fields(ApiException exception) =>
        exception.Details?["fields"]?.AsArray().Select(f => f?.GetValue<string>() ?? "") ?? [];

    private static IActionResult TokenProblem(LinkTokenProblem problem) => problem switch
    {
        LinkTokenProblem.Missing => Problem(400, new LinkPageError("This link is incomplete",
            "The address has no link token. Open the full link you were given, or ask for a new one.")),
        LinkTokenProblem.Expired => Problem(410, new LinkPageError("This link has expired",
            "For your security, connection links only work for a short time. Ask for a new link; nothing was saved.")),
        LinkTokenProblem.Used => Problem(410, new LinkPageError("This link has already been used",
            "An Insightly account was already connected with this link, and each link works only once. If that was you, you are done. Otherwise, ask for a new link.")),
        LinkTokenProblem.InUse => Problem(409, new LinkPageError("This link is being used right now",
            "Another submission with this link is in progress. Wait a moment and check whether it succeeded; if not, ask for a new link.")),
        LinkTokenProblem.AccountGone => Problem(410, new LinkPageError("This link no longer applies",
            "The account this link was made to reconnect no longer exists. Ask for a new link; nothing was saved.")),
        _ => Problem(404, new LinkPageError("This link is not valid",
            "The link may have been copied incompletely. Open the full link you were given, or ask for a new one; nothing was saved.")),
    };

    private static HtmlPageResult Problem(int status, LinkPageError error) => new(status, LinkPageHtml.Problem(error), []);

    private static HtmlPageResult FormPage(int status, HttpRequest request, string token, OpenedLink opened, string? apiUrl, LinkPageError? error)
    {
        var view = new LinkFormView(
            (request.PathBase + request.Path).ToString(), token, opened.Grant.IntegratedAccountId is not null, opened.Grant.ExpiresAt, apiUrl, error);
        // The form may post here and, through the redirect that follows success, lead to the SaaS backend's page.
        var origins = opened.Grant.RedirectUrl is { } redirect ? new[] { redirect.GetLeftPart(UriPartial.Authority) } : [];
        return new HtmlPageResult(status, LinkPageHtml.Form(view), origins);
    }

    private static async Task<LinkForm> ReadFormAsync(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormRejectedException(415, "Submit the form on the link page; it sends application/x-www-form-urlencoded.");
        }

        if (request.ContentLength > MaxFormBytes)
        {
            throw TooLarge();
        }

        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxFormBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (!Utf8.IsValid(bytes))
        {
            throw new FormRejectedException(400, "The form was not sent as UTF-8 text.");
        }

        Dictionary<string, StringValues> fields;
        try
        {
            using var reader = new FormReader(Encoding.UTF8.GetString(bytes)) { ValueCountLimit = 16, KeyLengthLimit = 64, ValueLengthLimit = MaxFormBytes };
            fields = await reader.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            throw new FormRejectedException(400, "The form holds more fields than the link page sends.");
        }

        var unexpected = fields.Keys.Where(name => !FormFields.Contains(name, StringComparer.Ordinal)).ToList();
        if (unexpected.Count > 0 || fields.Values.Any(values => values.Count > 1))
        {
            // A field the page never sends (a tenant, say) or a field sent twice: never guess which one counts.
            throw new FormRejectedException(400, "The form holds fields the link page does not send. Submit the form on the link page itself.");
        }

        return new LinkForm(Value("token"), Value("api_key"), Value("api_url"));

        string? Value(string name) => fields.TryGetValue(name, out var value) ? value[0] : null;
    }

    private static FormRejectedException TooLarge() =>
        new(413, $"The form is larger than the {MaxFormBytes / 1024} KiB the link page accepts.");

    private sealed class FormRejectedException(int statusCode, string message) : Exception(message)
    {
        public int StatusCode { get; } = statusCode;
    }
}
