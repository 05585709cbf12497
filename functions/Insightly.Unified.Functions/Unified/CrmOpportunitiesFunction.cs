using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified CRM opportunities: the methods only hand over to the shared pipeline.</summary>
public sealed class CrmOpportunitiesFunction(UnifiedPipeline pipeline)
{
    [Function("CrmOpportunities")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = Opportunities.Route)] HttpRequest request) =>
        pipeline.RunAsync(Opportunities.Resource, request, null);

    [Function("CrmOpportunitiesById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", "patch", "delete", Route = Opportunities.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(Opportunities.Resource, request, id);
}
