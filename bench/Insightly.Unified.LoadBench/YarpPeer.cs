using System.Text;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace Insightly.Unified.LoadBench;

/// <summary>
/// The peer a team would otherwise deploy: a minimal YARP passthrough to the same fake Insightly that injects one
/// key as Basic auth — no account selection, no key store, no rate limit, no retries, no path checks.
/// </summary>
public static class YarpPeer
{
    public static async Task RunAsync(int port, string insightlyBase, string key)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":"));
        builder.Services.AddReverseProxy()
            .LoadFromMemory(
                [new RouteConfig { RouteId = "insightly", ClusterId = "insightly", Match = new RouteMatch { Path = "/{**rest}" } }],
                [new ClusterConfig
                {
                    ClusterId = "insightly",
                    Destinations = new Dictionary<string, DestinationConfig> { ["fake"] = new() { Address = insightlyBase.TrimEnd('/') } },
                }])
            .AddTransforms(context => context.AddRequestHeader("Authorization", authorization, append: false));
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        Console.WriteLine($"YARP passthrough on http://127.0.0.1:{port}/ → {insightlyBase}");
        await FastInsightly.WaitForStopAsync();
        await app.StopAsync();
    }
}
