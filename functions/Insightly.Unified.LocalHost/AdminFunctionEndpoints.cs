using Insightly.Unified.Errors;
using Insightly.Unified.Functions.Hosting;
using Insightly.Unified.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace Insightly.Unified.LocalHost;

/// <summary>
/// The one route of the Functions host's admin API that the README uses: <c>POST /admin/functions/{name}</c> with
/// <c>{"input": ""}</c> starts a timer-triggered function now and answers 202 at once, while the run goes on in the
/// background (in Azure the same call needs the master key in <c>x-functions-key</c>; locally, as with
/// <c>func start</c>, no key is asked for). It sits outside <c>/api</c>, beside the function routes rather than
/// among them, exactly where the Functions host has it.
/// </summary>
public static class AdminFunctionEndpoints
{
    public static void MapAdminFunctions(this IEndpointRouteBuilder endpoints, FunctionCatalog catalog) =>
        endpoints.MapPost("/admin/functions/{name}", context => RunAsync(context, catalog))
            .WithDisplayName("Functions host admin API: run a function");

    private static async Task RunAsync(HttpContext context, FunctionCatalog catalog)
    {
        var services = context.RequestServices;
        var name = (string)context.Request.RouteValues["name"]!;
        var result = await services.GetRequiredService<ApiRequestRunner>().RunAsync(context.Request, cancellationToken =>
            StartAsync(context, catalog, name, cancellationToken));
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    private static async Task<IActionResult> StartAsync(HttpContext context, FunctionCatalog catalog, string name, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var function = catalog.TimerFunctions.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ApiException(404, ErrorCodes.UnknownResource,
                $"There is no timer-triggered function named '{name}'; the local admin API runs {string.Join(", ", catalog.TimerFunctions.Select(f => f.Name))}.");
        var body = await services.GetRequiredService<JsonBodyReader>().ReadObjectAsync(context.Request, cancellationToken);
        if (body["input"] is { } input && input.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            throw ApiException.InvalidBody("'input' must be a string; send {\"input\": \"\"}.", "input");
        }

        var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var invoker = services.GetRequiredService<TimerFunctionInvoker>();
        services.GetRequiredService<ILogger<TimerFunctionInvoker>>()
            .LogInformation("Timer function {Function} started on demand through the admin API", function.Name);
        _ = Task.Run(() => invoker.InvokeAsync(function, stopping), CancellationToken.None);
        return new StatusCodeResult(StatusCodes.Status202Accepted);
    }
}
