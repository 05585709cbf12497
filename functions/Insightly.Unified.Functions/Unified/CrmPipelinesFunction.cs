using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified pipelines with their stages (read-only): the methods only hand over to the shared pipeline.</summary>
public sealed class CrmPipelinesFunction(UnifiedPipeline pipeline)
{
    [Function("CrmPipelines")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Pipelines.Route)] HttpRequest request) =>
        pipeline.RunAsync(Pipelines.Resource, request, null);

    [Function("CrmPipelinesById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Pipelines.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(Pipelines.Resource, request, id);
}
