using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified CRM leads: the methods only hand over to the shared pipeline.</summary>
public sealed class CrmLeadsFunction(UnifiedPipeline pipeline)
{
    [Function("CrmLeads")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = Leads.Route)] HttpRequest request) =>
        pipeline.RunAsync(Leads.Resource, request, null);

    [Function("CrmLeadsById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", "patch", "delete", Route = Leads.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(Leads.Resource, request, id);
}
