using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;

namespace Insightly.Unified.Functions.Hosting;

/// <summary>An HTTP-triggered function as its attributes declare it.</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, string Route, IReadOnlyList<string> HttpMethods, AuthorizationLevel AuthLevel)
{
    public bool IsCatchAll => Route.StartsWith("{*", StringComparison.Ordinal);
}

/// <summary>A timer-triggered function and its (possibly <c>%SETTING%</c>) schedule.</summary>
public sealed record TimerFunction(string Name, MethodInfo Method, string Schedule);

/// <summary>
/// Every function of this app, read from the same attributes the Functions host indexes. The local
/// host serves routes from it, and the catch-all function uses it to tell 405 from 404.
/// </summary>
public sealed class FunctionCatalog
{
    private readonly IReadOnlyList<(HttpFunction Function, TemplateMatcher Matcher)> matchers;

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

        matchers = HttpFunctions
            .Where(f => !f.IsCatchAll)
            .Select(f => (f, new TemplateMatcher(TemplateParser.Parse(f.Route), new RouteValueDictionary())))
            .ToList();
    }

    public IReadOnlyList<HttpFunction> HttpFunctions { get; }

    public IReadOnlyList<TimerFunction> TimerFunctions { get; }

    /// <summary>The HTTP methods served at a path (relative to <c>/api</c>); empty when no route matches it.</summary>
    public IReadOnlyList<string> MethodsAllowedAt(string path)
    {
        return matchers
            .Where(m => m.Matcher.TryMatch("/" + path.TrimStart('/'), new RouteValueDictionary()))
            .SelectMany(m => m.Function.HttpMethods)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
