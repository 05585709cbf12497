using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.IntegratedAccounts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.Http;

/// <summary>
/// The filter every HTTP function calls itself: it turns any failure into the contract's error shape.
/// It lives here rather than in Functions worker middleware so the offline local host runs it too.
/// </summary>
public sealed class ApiRequestRunner(ILogger<ApiRequestRunner> logger)
{
    public async Task<IActionResult> RunAsync(HttpRequest request, Func<CancellationToken, Task<IActionResult>> handler)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        // Every log line of the request carries the account it concerns and a correlation id.
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["AccountId"] = AccountIdOf(request),
            ["CorrelationId"] = request.HttpContext.TraceIdentifier,
        });
        try
        {
            return await handler(cancellationToken);
        }
        catch (ApiException exception)
        {
            if (exception.StatusCode >= 500)
            {
                logger.LogWarning("{Method} {Path} failed with {StatusCode} {Error}: {Message}",
                    request.Method, request.Path.Value, exception.StatusCode, exception.Error, exception.Message);
            }

            return ApiResults.Error(exception);
        }
        catch (BadHttpRequestException exception)
        {
            // The server itself refused the body (over its own size limit, or a broken chunked stream).
            return ApiResults.Error(exception.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? new ApiException(413, ErrorCodes.PayloadTooLarge, "The request body is larger than the server accepts.")
                : ApiException.InvalidBody($"The request body could not be read: {exception.Message}"));
        }
        catch (DependencyUnavailableException exception)
        {
            var correlationId = request.HttpContext.TraceIdentifier;
            logger.LogError(exception, "The {Source} failed in {Method} {Path}, correlation id {CorrelationId}",
                exception.Dependency, request.Method, request.Path.Value, correlationId);
            return ApiResults.Error(new ApiException(503, ErrorCodes.UpstreamUnavailable,
                $"Our {(exception.Dependency == DependencyFailurePolicy.SecretStore ? "secret store" : "storage")} is unavailable; try again shortly. Correlation id {correlationId}.",
                new JsonObject { ["source"] = exception.Dependency }));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller hung up; nobody is left to read a response.
            return ApiResults.Error(new ApiException(499, ErrorCodes.ClientClosedRequest, "The caller closed the request."));
        }
        catch (Exception exception)
        {
            var correlationId = request.HttpContext.TraceIdentifier;
            logger.LogError(exception, "Unhandled failure in {Method} {Path}, correlation id {CorrelationId}",
                request.Method, request.Path.Value, correlationId);
            return ApiResults.Error(new ApiException(500, ErrorCodes.InternalError,
                $"An unexpected error occurred. Quote correlation id {correlationId} when reporting it."));
        }
    }

    /// <summary>
    /// The integrated account a request concerns: chosen by query or header on the unified API and the proxy,
    /// or named by the integrated-accounts route itself. Any other route's <c>{id}</c> is a CRM record id.
    /// </summary>
    private static string? AccountIdOf(HttpRequest request) =>
        request.Query[AccountSelector.Parameter].FirstOrDefault()
        ?? request.Headers[AccountSelector.Header].FirstOrDefault()
        ?? (request.Path.StartsWithSegments("/api/integrated-accounts", StringComparison.OrdinalIgnoreCase)
            && request.RouteValues.TryGetValue("id", out var id) && id is string routeId ? routeId : null);
}
