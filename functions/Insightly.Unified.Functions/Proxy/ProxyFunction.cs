using Insightly.Unified.Http;
using Insightly.Unified.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Proxy;

/// <summary>The passthrough proxy (contract section 4): <c>/api/proxy/{path}</c> → the account's <c>…/v3.1/{path}</c>.</summary>
public sealed class ProxyFunction(ProxyService proxy, ApiRequestRunner runner)
{
    [Function("Proxy")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", Route = "proxy/{*path}")] HttpRequest request,
        string? path) =>
        runner.RunAsync(request, cancellationToken => proxy.ForwardAsync(request, path, cancellationToken));
}
