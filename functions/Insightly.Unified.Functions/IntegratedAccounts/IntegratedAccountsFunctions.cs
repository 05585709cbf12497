using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Http;
using Insightly.Unified.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.IntegratedAccounts;

/// <summary>
/// Linked Insightly accounts (contract section 2). Each function only hands over to <see cref="AccountService"/>; an
/// unlink also drops the account's <c>Idempotency-Key</c> rows (<see cref="DataRetention"/>).
/// </summary>
public sealed class IntegratedAccountsFunctions(AccountService accounts, DataRetention retention, JsonBodyReader bodies, ApiRequestRunner runner)
{
    private const string Collection = "integrated-accounts";
    private const string Item = "integrated-accounts/{id}";

    [Function("LinkAccount")]
    public Task<IActionResult> Link(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Collection)] HttpRequest request) =>
        runner.RunAsync(request, async cancellationToken =>
        {
            var body = await bodies.ReadObjectAsync(request, cancellationToken);
            var account = await accounts.LinkAsync(body, cancellationToken);
            return ApiResults.Created(account, ApiJsonContext.Api.IntegratedAccount);
        });

    [Function("ListAccounts")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Collection)] HttpRequest request) =>
        runner.RunAsync(request, async cancellationToken =>
        {
            var (page, next) = await accounts.ListAsync(request.Query, cancellationToken);
            return PageEnvelope.Result(page, next, ApiJsonContext.Api.IntegratedAccount);
        });

    [Function("GetAccount")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = Item)] HttpRequest request, string id) =>
        runner.RunAsync(request, async cancellationToken =>
            ApiResults.Ok(await accounts.GetAsync(id, cancellationToken), ApiJsonContext.Api.IntegratedAccount));

    [Function("UpdateAccount")]
    public Task<IActionResult> Update(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = Item)] HttpRequest request, string id) =>
        runner.RunAsync(request, async cancellationToken =>
        {
            var body = await bodies.ReadObjectAsync(request, cancellationToken);
            return ApiResults.Ok(await accounts.UpdateAsync(id, body, cancellationToken), ApiJsonContext.Api.IntegratedAccount);
        });

    [Function("DeleteAccount")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = Item)] HttpRequest request, string id) =>
        runner.RunAsync(request, async cancellationToken =>
        {
            var deleted = await accounts.DeleteAsync(id, cancellationToken);
            await retention.ForgetAccountAsync(deleted.Id);
            return ApiResults.Ok(deleted, ApiJsonContext.Api.DeletedAccount);
        });

    [Function("ValidateAccount")]
    public Task<IActionResult> Validate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = Item + "/validate")] HttpRequest request, string id) =>
        runner.RunAsync(request, async cancellationToken =>
            ApiResults.Ok(await accounts.ValidateAsync(id, cancellationToken), ApiJsonContext.Api.IntegratedAccount));
}
