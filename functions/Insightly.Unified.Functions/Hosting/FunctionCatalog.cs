using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Hosting;

/// <summary>An HTTP-triggered function as its attributes declare it.</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, string Route, IReadOnlyList<string> HttpMethods, AuthorizationLevel AuthLevel)
{
    public HostRoute HostRoute { get; } = new(Name, Route, HttpMethods);
}

/// <summary>A timer-triggered function and its (possibly <c>%SETTING%</c>) schedule.</summary>
public sealed record TimerFunction(string Name, MethodInfo Method, string Schedule);

/// <summary>A queue-triggered function and its (possibly <c>%SETTING%</c>) queue name, on <c>AzureWebJobsStorage</c>.</summary>
public sealed record QueueFunction(string Name, MethodInfo Method, string QueueName);

/// <summary>
/// Every function of this app, read from the same attributes the Functions host indexes. The local
/// host serves routes from it, and the catch-all function uses it to tell 405 from 404.
/// </summary>
public sealed class FunctionCatalog
{
    public FunctionCatalog()
    {
        var functions = typeof(FunctionCatalog).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<FunctionAttribute>()))
            .Where(f => f.Attribute is not null)
            .ToList();

        HttpFunctions = functions
            .Select(f => (f.Method, f.Attribute, Trigger: f.Method.GetParameters()
                .Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new HttpFunction(f.Attribute!.Name, f.Method, f.Trigger!.Route ?? f.Attribute.Name,
                f.Trigger.Methods?.Select(m => m.ToUpperInvariant()).ToArray() ?? [], f.Trigger.AuthLevel))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

        TimerFunctions = functions
            .Select(f => (f.Method, f.Attribute, Trigger: f.Method.GetParameters()
                .Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new TimerFunction(f.Attribute!.Name, f.Method, f.Trigger!.Schedule))
            .ToList();

        QueueFunctions = functions
            .Select(f => (f.Method, f.Attribute, Trigger: f.Method.GetParameters()
                .Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()).FirstOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .Select(f => new QueueFunction(f.Attribute!.Name, f.Method, f.Trigger!.QueueName))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();

        Router = new HostRouter(HttpFunctions.Select(f => f.HostRoute));
    }

    public IReadOnlyList<HttpFunction> HttpFunctions { get; }

    public IReadOnlyList<TimerFunction> TimerFunctions { get; }

    public IReadOnlyList<QueueFunction> QueueFunctions { get; }

    /// <summary>HTTP requests routed as the Functions host routes them.</summary>
    public HostRouter Router { get; }

    public HttpFunction Function(string name) => HttpFunctions.Single(f => f.Name == name);

    /// <summary>The HTTP methods served at a path (relative to <c>/api</c>); empty when no route but the catch-all matches it.</summary>
    public IReadOnlyList<string> MethodsAllowedAt(string path) =>
        Router.RoutesAt(path)
            .SelectMany(route => route.Methods)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
}
