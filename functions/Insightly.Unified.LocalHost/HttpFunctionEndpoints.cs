using System.Reflection;
using Insightly.Unified.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace Insightly.Unified.LocalHost;

/// <summary>
/// Serves every HTTP-triggered function behind one endpoint and routes requests with the Functions host's
/// own rule (<see cref="HostRouter"/>: function-name order, first match wins), never with ASP.NET Core's
/// route precedence, so what works here works in Azure.
/// </summary>
public static class HttpFunctionEndpoints
{
    private const string RoutePrefix = "/api";

    public static void MapHttpFunctions(this IEndpointRouteBuilder endpoints, FunctionCatalog catalog)
    {
        var invokers = catalog.HttpFunctions.ToDictionary(f => f.Name, Invoker, StringComparer.Ordinal);
        endpoints.Map(RoutePrefix + "/{**path}", async context =>
        {
            var path = context.Request.Path.Value![RoutePrefix.Length..];
            var match = catalog.Router.Match(context.Request.Method, path);
            if (match is null)
            {
                // As the Functions host does when no route takes the request.
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Request.RouteValues = match.Values;
            await invokers[match.Route.FunctionName](context);
        }).WithDisplayName("Functions host routing");
    }

    private static RequestDelegate Invoker(HttpFunction function)
    {
        var bind = ParameterBinders(function);
        var create = ActivatorUtilities.CreateFactory(function.Method.DeclaringType!, Type.EmptyTypes);
        return async context =>
        {
            // Function classes are created per invocation from the request's services, as the worker does.
            var instance = create(context.RequestServices, null);
            var arguments = new object?[bind.Length];
            for (var i = 0; i < bind.Length; i++)
            {
                arguments[i] = bind[i](context);
            }

            var result = await (Task<IActionResult>)function.Method.Invoke(instance, arguments)!;
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), Descriptor));
        };
    }

    /// <summary>One for every result: a new one per request would mint a GUID id each time, and nothing reads it.</summary>
    private static readonly ActionDescriptor Descriptor = new();

    private static Func<HttpContext, object?>[] ParameterBinders(HttpFunction function)
    {
        if (function.Method.ReturnType != typeof(Task<IActionResult>))
        {
            throw new InvalidOperationException($"Function {function.Name} must return Task<IActionResult> to be served locally.");
        }

        return function.Method.GetParameters().Select(Binder).ToArray();

        Func<HttpContext, object?> Binder(ParameterInfo parameter) => parameter.ParameterType switch
        {
            var type when type == typeof(HttpRequest) => context => context.Request,
            var type when type == typeof(CancellationToken) => context => context.RequestAborted,
            var type when type == typeof(string) => context => context.Request.RouteValues[parameter.Name!] as string,
            _ => throw new InvalidOperationException(
                $"Function {function.Name} has a parameter '{parameter.Name}' of type {parameter.ParameterType} that the local host cannot bind."),
        };
    }
}
