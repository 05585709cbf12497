using Insightly.Unified.Unified.Pipeline;
using Insightly.Unified.Unified.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Unified;

/// <summary>The unified CRM accounts (Insightly Organisations): the methods only hand over to the shared pipeline.</summary>
public sealed class CrmAccountsFunction(UnifiedPipeline pipeline)
{
    [Function("CrmAccounts")]
    public Task<IActionResult> Collection(
        [HttpTrigger(AuthorizationLevel.Function, "get", "post", Route = Accounts.Route)] HttpRequest request) =>
        pipeline.RunAsync(Accounts.Resource, request, null);

    [Function("CrmAccountsById")]
    public Task<IActionResult> Item(
        [HttpTrigger(AuthorizationLevel.Function, "get", "patch", "delete", Route = Accounts.Route + "/{id}")] HttpRequest request, string id) =>
        pipeline.RunAsync(Accounts.Resource, request, id);
}
