using Insightly.Unified.Http;
using Insightly.Unified.Link;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Link;

/// <summary>
/// The link flow (contract section 7): the SaaS backend issues a link token with its function key; the person
/// it hands the link to opens the page anonymously (the single-use token is the credential) and submits it.
/// <c>link</c> and <c>link-tokens</c> are different literal routes, so no two functions can take one request.
/// </summary>
public sealed class LinkFunctions(LinkService link, LinkPages pages, JsonBodyReader bodies, ApiRequestRunner runner)
{
    [Function("IssueLinkToken")]
    public Task<IActionResult> Issue(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "link-tokens")] HttpRequest request) =>
        runner.RunAsync(request, async cancellationToken =>
        {
            var body = await bodies.ReadObjectAsync(request, cancellationToken);
            return ApiResults.Created(await link.IssueAsync(body, request, cancellationToken), ApiJsonContext.Api.IssuedLinkToken);
        });

    [Function("ShowLinkPage")]
    public Task<IActionResult> Show(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "link")] HttpRequest request) =>
        pages.ShowAsync(request);

    [Function("SubmitLinkPage")]
    public Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "link")] HttpRequest request) =>
        pages.SubmitAsync(request);
}
