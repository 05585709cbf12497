using Insightly.Unified.Errors;
using Insightly.Unified.Functions.Hosting;
using Insightly.Unified.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Platform;

/// <summary>
/// Answers every request no other function takes, in the contract's error shape: 405 with an
/// <c>Allow</c> header when the path exists with other methods, else 404 <c>unknown_resource</c>.
/// </summary>
/// <remarks>
/// The Functions host tries routes in function-name order and takes the first match, with no precedence
/// for literal segments, so this catch-all must sort after every other function: its name starts with
/// <c>Zz</c>, and every other function name starts with an upper-case letter A–Y (ordinal and
/// case-insensitive order then agree). The routing-table unit test enforces both.
/// </remarks>
public sealed class UnknownRouteFunction(FunctionCatalog catalog, ApiRequestRunner runner)
{
    public const string Name = "ZzUnknownRoute";

    [Function(Name)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request,
        string? path) =>
        runner.RunAsync(request, _ =>
        {
            var allowed = catalog.MethodsAllowedAt(path ?? "");
            if (allowed.Count > 0)
            {
                throw new ApiException(405, ErrorCodes.MethodNotAllowed,
                    $"{request.Method} is not allowed on /api/{path}; use {string.Join(", ", allowed)}.")
                {
                    Headers = new Dictionary<string, string> { ["Allow"] = string.Join(", ", allowed) },
                };
            }

            throw new ApiException(404, ErrorCodes.UnknownResource, $"There is no route /api/{path}.");
        });
}
