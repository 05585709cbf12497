using System.Reflection;
using Insightly.Unified.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace Insightly.Unified.LocalHost;

/// <summary>Maps each HTTP-triggered function to an endpoint that activates and invokes it as the Functions worker would.</summary>
public static class HttpFunctionEndpoints
{
    private const string RoutePrefix = "/api/";

    public static void MapHttpFunctions(this IEndpointRouteBuilder endpoints, FunctionCatalog catalog)
    {
        foreach (var function in catalog.HttpFunctions)
        {
            var bind = ParameterBinders(function);
            endpoints.MapMethods(RoutePrefix + function.Route, function.HttpMethods, async context =>
            {
                // Function classes are created per invocation from the request's services, as the worker does.
                var instance = ActivatorUtilities.CreateInstance(context.RequestServices, function.Method.DeclaringType!);
                var arguments = bind.Select(binder => binder(context)).ToArray();
                var result = await (Task<IActionResult>)function.Method.Invoke(instance, arguments)!;
                await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
            }).WithDisplayName(function.Name);
        }
    }

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
            var type when type == typeof(string) => context => context.GetRouteValue(parameter.Name!) as string,
            _ => throw new InvalidOperationException(
                $"Function {function.Name} has a parameter '{parameter.Name}' of type {parameter.ParameterType} that the local host cannot bind."),
        };
    }
}
