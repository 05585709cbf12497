using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified CRM projects: the methods only hand over to the shared pipeline.</summary>
public sealed class CrmProjectsFunction(UnifiedPipeline pipeline)
{
    [Function("CrmProjects")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = Projects.Route)] HttpRequest request) =>
        pipeline.RunAsync(Projects.Resource, request, null);

    [Function("CrmProjectsById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", "patch", "delete", Route = Projects.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(Projects.Resource, request, id);
}
