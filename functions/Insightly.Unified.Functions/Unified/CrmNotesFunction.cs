using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified CRM notes: the methods only hand over to the shared pipeline.</summary>
public sealed class CrmNotesFunction(UnifiedPipeline pipeline)
{
    [Function("CrmNotes")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = Notes.Route)] HttpRequest request) =>
        pipeline.RunAsync(Notes.Resource, request, null);

    [Function("CrmNotesById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", "patch", "delete", Route = Notes.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(Notes.Resource, request, id);
}
