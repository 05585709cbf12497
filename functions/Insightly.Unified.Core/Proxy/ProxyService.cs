using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Insightly.Unified.Insightly;
using Insightly.Unified.IntegratedAccounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Proxy;

/// <summary>
/// The passthrough proxy (contract section 4): the caller's method, path, query and body go to the account's
/// <c>…/v3.1/{path}</c> through <see cref="AccountConnector"/> — so the key, a 401 turning the account to
/// <c>needs_reauth</c>, the daily quota, the rate limits, retries (GET/PUT/DELETE only) and timeouts behave as
/// on every other call — and Insightly's answer streams back as it was sent. Only what the proxy decides
/// itself is answered in the contract's error shape.
/// </summary>
public sealed class ProxyService(
    AccountSelector accounts,
    AccountConnector connector,
    IOptions<ProxyOptions> options,
    ILoggerFactory loggers)
{
    private static readonly HttpMethod[] Methods =
        [HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete];

    private readonly ILogger logger = loggers.CreateLogger<ProxyService>();

    public async Task<IActionResult> ForwardAsync(HttpRequest request, string? routePath, CancellationToken cancellationToken)
    {
        ProxyHeaders.Protect(request.HttpContext.Response);
        var method = Methods.FirstOrDefault(m => m.Method.Equals(request.Method, StringComparison.OrdinalIgnoreCase))
            ?? throw new ApiException(405, ErrorCodes.MethodNotAllowed, $"The proxy does not forward {request.Method}.")
            {
                Headers = new Dictionary<string, string> { ["Allow"] = string.Join(", ", Methods.Select(m => m.Method)) },
            };
        var path = ProxyPath.FromRequest(request, routePath);
        var target = new Uri(path + ProxyPath.ForwardedQuery(request.QueryString), UriKind.Relative);
        var account = await accounts.SelectAsync(request, cancellationToken);
        var body = await ProxyRequestBody.ReadAsync(request, method, path, options.Value.MaxBodyBytes, cancellationToken);

        HttpResponseMessage response;
        try
        {
            response = await connector.SendAsync(account, () => CreateRequest(method, target, body, request.Headers),
                HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception) when (body.LimitExceeded)
        {
            throw ProxyRequestBody.TooLarge(options.Value.MaxBodyBytes);
        }
        catch (HttpRequestException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller hung up while its body was being sent on.
            throw new OperationCanceledException(cancellationToken);
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Proxied {Method} {Path} for account {AccountId}: Insightly answered {Status}",
                method.Method, path, account.Id, (int)response.StatusCode);
        }
        return new ProxyResult(response, account.Id, path, loggers.CreateLogger<ProxyResult>());
    }

    private static HttpRequestMessage CreateRequest(HttpMethod method, Uri target, ProxyRequestBody body, IHeaderDictionary callerHeaders)
    {
        var message = new HttpRequestMessage(method, target) { Content = body.CreateContent() };
        foreach (var (name, values) in ProxyHeaders.Upstream(callerHeaders))
        {
            message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        return message;
    }
}
