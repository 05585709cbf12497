using Insightly.Unified.Unified.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The standard and custom fields of a unified entity: the method only hands over to the shared pipeline.</summary>
public sealed class CrmFieldsFunction(UnifiedPipeline pipeline)
{
    [Function("CrmFields")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "unified/crm/fields")] HttpRequest request) =>
        pipeline.RunFieldsAsync(request);
}
