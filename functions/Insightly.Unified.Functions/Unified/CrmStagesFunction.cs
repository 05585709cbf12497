using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified pipeline stages (read-only): the methods only hand over to the shared pipeline.</summary>
public sealed class CrmStagesFunction(UnifiedPipeline pipeline)
{
    [Function("CrmStages")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Stages.Route)] HttpRequest request) =>
        pipeline.RunAsync(Stages.Resource, request, null);

    [Function("CrmStagesById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Stages.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(Stages.Resource, request, id);
}
