using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified CRM tasks: the methods only hand over to the shared pipeline.</summary>
public sealed class CrmTasksFunction(UnifiedPipeline pipeline)
{
    [Function("CrmTasks")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = Tasks.Route)] HttpRequest request) =>
        pipeline.RunAsync(Tasks.Resource, request, null);

    [Function("CrmTasksById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", "patch", "delete", Route = Tasks.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(Tasks.Resource, request, id);
}
