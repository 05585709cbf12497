using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.Proxy;

/// <summary>
/// Insightly's answer, passed through: its status, the headers in <see cref="ProxyHeaders.ReturnedToCaller"/>,
/// and its body copied to the caller as it arrives (a small buffer at a time, at the pace the caller reads), so
/// a 50 MB answer is never held whole. If the answer breaks off before anything was written, the caller gets
/// 502 <c>upstream_error</c>; after that the status is already on its way, so the connection is aborted and
/// the caller sees a truncated response rather than a complete-looking wrong one.
/// </summary>
/// <remarks>It runs after <see cref="ApiRequestRunner"/> has returned, outside its log scope, so its log lines name the call.</remarks>
public sealed class ProxyResult(HttpResponseMessage upstream, string accountId, string path, ILogger<ProxyResult> logger) : IActionResult
{
    private const int CopyBufferBytes = 64 * 1024;

    public int StatusCode => (int)upstream.StatusCode;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var cancellationToken = http.RequestAborted;
        using (upstream)
        {
            http.Response.StatusCode = StatusCode;
            foreach (var (name, values) in ProxyHeaders.ToCaller(upstream))
            {
                http.Response.Headers[name] = values;
            }

            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            try
            {
                await using var body = await upstream.Content.ReadAsStreamAsync(cancellationToken);
                await body.CopyToAsync(http.Response.Body, CopyBufferBytes, cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // The caller hung up; nobody is left to answer.
            }
            catch (Exception exception) when (!http.Response.HasStarted)
            {
                logger.LogWarning("Insightly's answer ({Status}) to {Path} for account {AccountId} broke off before any of it was sent on: {ErrorType} {ErrorMessage}",
                    StatusCode, path, accountId, exception.GetType().Name, exception.Message);
                http.Response.Headers.Clear();
                await ApiResults.Error(new ApiException(502, ErrorCodes.UpstreamError,
                    "Insightly's answer broke off before it could be passed on; try again.")).ExecuteResultAsync(context);
            }
            catch (Exception exception)
            {
                logger.LogWarning("Insightly's answer ({Status}) to {Path} for account {AccountId} broke off while being passed on; aborting the response: {ErrorType} {ErrorMessage}",
                    StatusCode, path, accountId, exception.GetType().Name, exception.Message);
                http.Abort();
            }
        }
    }
}
