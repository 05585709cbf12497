using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified CRM users (read-only): the methods only hand over to the shared pipeline.</summary>
public sealed class CrmUsersFunction(UnifiedPipeline pipeline)
{
    [Function("CrmUsers")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Users.Route)] HttpRequest request) =>
        pipeline.RunAsync(Users.Resource, request, null);

    [Function("CrmUsersById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Users.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(Users.Resource, request, id);
}
