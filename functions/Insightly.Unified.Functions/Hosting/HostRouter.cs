using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace Insightly.Unified.Functions.Hosting;

/// <summary>An HTTP route as the Functions host registers it: the function's name, its template (relative to <c>/api</c>) and methods.</summary>
public sealed record HostRoute(string FunctionName, string Template, IReadOnlyList<string> Methods)
{
    public bool IsCatchAll => Template.StartsWith("{*", StringComparison.Ordinal);
}

/// <summary>The function that takes a request, with the values its template bound.</summary>
public sealed record HostRouteMatch(HostRoute Route, RouteValueDictionary Values);

/// <summary>
/// Routes requests the way the Azure Functions host does, not the way ASP.NET Core endpoint routing does:
/// the host registers HTTP routes in the order of its function list, sorted by function name, and the
/// first route whose template and method both match takes the request. A literal segment gets no
/// precedence over a parameter, so a catch-all whose name sorts early would shadow everything after it
/// (azure-functions-host #3153, #9876). The local host serves requests through this class, and a unit
/// test replays the contract's requests through it over <c>functions.metadata</c>.
/// </summary>
public sealed class HostRouter
{
    private readonly IReadOnlyList<(HostRoute Route, TemplateMatcher Matcher)> routes;

    /// <param name="nameOrder">How the host sorts function names; ordinal unless a test says otherwise.</param>
    public HostRouter(IEnumerable<HostRoute> routes, StringComparer? nameOrder = null)
    {
        this.routes = routes
            .OrderBy(route => route.FunctionName, nameOrder ?? StringComparer.Ordinal)
            .Select(route => (route, new TemplateMatcher(Parse(route), new RouteValueDictionary())))
            .ToList();
    }

    public IEnumerable<HostRoute> Routes => routes.Select(r => r.Route);

    /// <summary>The first route, in function-name order, whose template and method match; null when none does.</summary>
    public HostRouteMatch? Match(string method, string path)
    {
        var requestPath = "/" + path.TrimStart('/');
        foreach (var (route, matcher) in routes)
        {
            if (!route.Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var values = new RouteValueDictionary();
            if (matcher.TryMatch(requestPath, values))
            {
                return new HostRouteMatch(route, values);
            }
        }

        return null;
    }

    /// <summary>Every route (catch-alls aside) whose template matches the path, whatever its methods.</summary>
    public IEnumerable<HostRoute> RoutesAt(string path)
    {
        var requestPath = "/" + path.TrimStart('/');
        return routes
            .Where(r => !r.Route.IsCatchAll && r.Matcher.TryMatch(requestPath, new RouteValueDictionary()))
            .Select(r => r.Route);
    }

    /// <summary>
    /// Inline constraints (<c>{id:int}</c>) take part in the host's matching; this router does not evaluate
    /// them, so a route that uses one is refused rather than matched differently from Azure.
    /// </summary>
    private static RouteTemplate Parse(HostRoute route)
    {
        var template = TemplateParser.Parse(route.Template);
        if (template.Parameters.Any(p => p.InlineConstraints.Any()))
        {
            throw new InvalidOperationException(
                $"Function {route.FunctionName}: route constraints are not supported ({route.Template}); check the value in the function instead.");
        }

        return template;
    }
}
