using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified User Directory users (read-only): the methods only hand over to the shared pipeline.</summary>
public sealed class DirectoryUsersFunction(UnifiedPipeline pipeline)
{
    [Function("DirectoryUsers")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = DirectoryUsers.Route)] HttpRequest request) =>
        pipeline.RunAsync(DirectoryUsers.Resource, request, null);

    [Function("DirectoryUsersById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = DirectoryUsers.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(DirectoryUsers.Resource, request, id);
}
