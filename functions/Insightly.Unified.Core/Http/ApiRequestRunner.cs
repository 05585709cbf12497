using Insightly.Unified.Errors;
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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller hung up; nobody is left to read a response.
            return ApiResults.Error(new ApiException(499, "client_closed_request", "The caller closed the request."));
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
}
