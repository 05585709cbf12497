using Insightly.Unified.Http;
using Insightly.Unified.OpenApi;
using Insightly.Unified.Unified.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Platform;

/// <summary>The OpenAPI 3.1 document of this API (contract section 1: anonymous, it holds no data).</summary>
public sealed class OpenApiDocumentFunction(ApiRequestRunner runner)
{
    [Function("OpenApiDocument")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OpenApiDocument.Route)] HttpRequest request) =>
        runner.RunAsync(request, _ => Task.FromResult<IActionResult>(new JsonBytesResult(StatusCodes.Status200OK, OpenApiDocument.Utf8)));
}
