using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified CRM contacts and a contact's context: the methods only hand over to the shared pipeline.</summary>
public sealed class CrmContactsFunction(UnifiedPipeline pipeline)
{
    [Function("CrmContacts")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = Contacts.Route)] HttpRequest request) =>
        pipeline.RunAsync(Contacts.Resource, request, null);

    [Function("CrmContactsById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", "patch", "delete", Route = Contacts.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(Contacts.Resource, request, id);

    /// <summary>Four segments, so neither contacts route (two or three) can take it, whatever the name order.</summary>
    [Function("CrmContactContext")]
    public Task<IActionResult> Context(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Contacts.Route + "/{id}/context")] HttpRequest request, string id) =>
        pipeline.RunContactContextAsync(request, id);
}
