using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.EndToEndTests;

/// <summary>One request a receiver got: the raw body exactly as sent, and the headers that matter.</summary>
public sealed record ReceivedDelivery(string Path, string Body, string? EventId, string? Timestamp, string? Signature, string? ContentType, IReadOnlyDictionary<string, string> Headers)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string Type => Json["type"]!.GetValue<string>();

    public string? AccountId => Json["data"]?["integrated_account"]?["id"]?.GetValue<string>();
}

/// <summary>
/// A customer's webhook receiver on a loopback port the test owns: records every POST, answers each path with the status
/// the test chose (200 by default), and can be stopped and started again on the same port to be "down" for a while.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly int port = FreePort();
    private readonly ConcurrentDictionary<string, int> statuses = new(StringComparer.Ordinal);
    private WebApplication? app;

    public ConcurrentQueue<ReceivedDelivery> Received { get; } = new();

    public string Url(string path) => $"http://127.0.0.1:{port}/{path}";

    /// <summary>What every request to this path is answered with from now on.</summary>
    public void Answer(string path, int status) => statuses[path] = status;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.StartAgainAsync();
        return receiver;
    }

    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        app = builder.Build();
        app.MapPost("/{**path}", async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Path.Value!.TrimStart('/');
            Received.Enqueue(new ReceivedDelivery(path, body,
                context.Request.Headers["X-Webhook-Id"], context.Request.Headers["X-Webhook-Timestamp"],
                context.Request.Headers["X-Webhook-Signature"], context.Request.ContentType,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            context.Response.StatusCode = statuses.TryGetValue(path, out var status) ? status : StatusCodes.Status200OK;
        });
        await app.StartAsync();
    }

    /// <summary>Stops listening: deliveries now fail to connect, until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    public IReadOnlyList<ReceivedDelivery> At(string path) => Received.Where(r => r.Path == path).ToList();

    /// <summary>Waits until the deliveries at <paramref name="path"/> satisfy <paramref name="done"/>; fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedDelivery>> WaitAsync(string path, Func<IReadOnlyList<ReceivedDelivery>, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var received = At(path);
            if (done(received))
            {
                return received;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Waited in vain for {what ?? "deliveries"} at /{path}; got: {string.Join(", ", received.Select(r => $"{r.Type} {r.AccountId}"))}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
