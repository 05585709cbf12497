using Insightly.Unified.Http;
using Insightly.Unified.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Webhooks;

/// <summary>
/// Webhook subscriptions (contract section 8). Each function only hands over to <see cref="WebhookService"/>. The four
/// routes cannot take each other's requests: <c>webhooks</c> and <c>webhooks/{id}</c> differ in length, and the two
/// actions below an id in their literal last segment.
/// </summary>
public sealed class WebhooksFunctions(WebhookService webhooks, JsonBodyReader bodies, ApiRequestRunner runner)
{
    private const string Collection = "webhooks";
    private const string Item = "webhooks/{id}";

    [Function("CreateWebhook")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Collection)] HttpRequest request) =>
        runner.RunAsync(request, async cancellationToken =>
            ApiResults.Created(await webhooks.CreateAsync(await bodies.ReadObjectAsync(request, cancellationToken), cancellationToken),
                ApiJsonContext.Api.WebhookSubscriptionWithSecret));

    [Function("ListWebhooks")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Collection)] HttpRequest request) =>
        runner.RunAsync(request, async cancellationToken =>
        {
            var (page, next) = await webhooks.ListAsync(request.Query, cancellationToken);
            return PageEnvelope.Result(page, next, ApiJsonContext.Api.WebhookSubscription);
        });

    [Function("GetWebhook")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Item)] HttpRequest request, string id) =>
        runner.RunAsync(request, async cancellationToken =>
            ApiResults.Ok(await webhooks.GetAsync(id, cancellationToken), ApiJsonContext.Api.WebhookSubscription));

    [Function("UpdateWebhook")]
    public Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = Item)] HttpRequest request, string id) =>
        runner.RunAsync(request, async cancellationToken =>
        {
            var body = await bodies.ReadObjectAsync(request, cancellationToken);
            return ApiResults.Ok(await webhooks.UpdateAsync(id, body, cancellationToken), ApiJsonContext.Api.WebhookSubscription);
        });

    [Function("DeleteWebhook")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = Item)] HttpRequest request, string id) =>
        runner.RunAsync(request, async cancellationToken =>
            ApiResults.Ok(await webhooks.DeleteAsync(id, cancellationToken), ApiJsonContext.Api.WebhookReference));

    [Function("RotateWebhookSecret")]
    public Task<IActionResult> RotateSecret(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Item + "/rotate-secret")] HttpRequest request, string id) =>
        runner.RunAsync(request, async cancellationToken =>
            ApiResults.Ok(await webhooks.RotateSecretAsync(id, cancellationToken), ApiJsonContext.Api.WebhookSubscriptionWithSecret));

    [Function("TestWebhook")]
    public Task<IActionResult> Test(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Item + "/test")] HttpRequest request, string id) =>
        runner.RunAsync(request, async cancellationToken =>
            new ApiResult<WebhookTestQueued>(StatusCodes.Status202Accepted, await webhooks.TestAsync(id, cancellationToken), ApiJsonContext.Api.WebhookTestQueued));
}
