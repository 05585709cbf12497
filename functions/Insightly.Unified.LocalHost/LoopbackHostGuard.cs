using System.Net;
using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;

namespace Insightly.Unified.LocalHost;

/// <summary>
/// Answers only requests addressed to a loopback name: <c>localhost</c>, a 127.x address or <c>[::1]</c>, with any
/// port. Listening on loopback keeps other machines out, but not a web page the developer has open: through DNS
/// rebinding (a name of the attacker's that resolves to 127.0.0.1) its scripts reach this host, with their own name
/// in <c>Host</c> — and no function key is asked for here. Anything else is 400 in the contract's error shape.
/// </summary>
public static class LoopbackHostGuard
{
    public static bool IsLoopbackName(HostString host) =>
        host.Host is { Length: > 0 } name
        && (name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address)));

    public static IApplicationBuilder UseLoopbackHostGuard(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (IsLoopbackName(context.Request.Host))
            {
                await next(context);
                return;
            }

            var refused = new ApiException(400, ErrorCodes.InvalidParameter,
                $"The local host answers only requests to localhost, 127.0.0.1 or [::1] (the Host header was '{context.Request.Host}').",
                new JsonObject { ["header"] = "Host" });
            await ApiResults.Error(refused).ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        });
}
