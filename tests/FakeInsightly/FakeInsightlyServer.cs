using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FakeInsightly;

/// <summary>
/// An Insightly v3.1 stand-in on loopback, behaving as shared/docs/insightly-api.md describes and refusing what
/// Insightly refuses (see README.md beside this file for the behaviour and the fake's assumptions). Pods are in
/// the URL (<c>/{pod}/v3.1/...</c> stands for <c>api.{pod}.insightly.com/v3.1/...</c>); Basic auth with the key as
/// user name; 10 requests per second and a daily quota with <c>X-RateLimit-*</c> headers; <c>{"Message": …}</c>
/// errors. This class does the transport: recording, auth, quotas, scripted faults and writing answers; the
/// <see cref="Router"/> does the rest.
/// </summary>
public sealed class FakeInsightlyServer : IAsyncDisposable
{
    private const string Denied = "Authorization has been denied for this request.";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (FakeInstance Instance, JsonObject User)> keys = new();
    private readonly ConcurrentBag<string> issuedKeys = [];
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly FaultScript faults = new();
    private readonly CannedScript canned = new();
    private long nextUserId = 1000;
    private int throttled;
    private long cannedBytesWritten;

    private FakeInsightlyServer(WebApplication app) => this.app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>The value for <c>Insightly__BaseUrlTemplate</c>.</summary>
    public string BaseUrlTemplate => $"{Address}{{pod}}/v3.1/";

    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    /// <summary>How many requests the fake refused with its own per-second limit (not scripted 429s).</summary>
    public int ThrottledCount => Volatile.Read(ref throttled);

    /// <summary>Waited out before answering every request, like the network and Insightly's own work (default none).</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>How many body bytes canned answers have written so far (to see a proxy stream rather than buffer).</summary>
    public long CannedBytesWritten => Interlocked.Read(ref cannedBytesWritten);

    /// <summary>The clock that stamps DATE_CREATED_UTC, DATE_UPDATED_UTC and state changes; tests may replace it.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public static async Task<FakeInsightlyServer> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new FakeInsightlyServer(app);
        app.Map("/{pod}/v3.1/{**path}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public FakeInstance AddInstance(string pod, string subdomain, string plan = "Professional", long dailyQuota = 60_000) =>
        new(pod, subdomain, subdomain + " Ltd", plan, dailyQuota);

    /// <summary>Creates a user with API access in the instance and returns the user's key.</summary>
    public string AddUser(FakeInstance instance, string firstName, string lastName, string email, bool administrator = true)
    {
        var userId = Interlocked.Increment(ref nextUserId);
        var user = new JsonObject
        {
            ["USER_ID"] = userId,
            ["CONTACT_ID"] = userId + 50_000,
            ["FIRST_NAME"] = firstName,
            ["LAST_NAME"] = lastName,
            ["EMAIL_ADDRESS"] = email,
            ["TIMEZONE_ID"] = "GMT Standard Time",
            ["ADMINISTRATOR"] = administrator,
            ["ACCOUNT_OWNER"] = administrator,
            ["ACTIVE"] = true,
            ["DATE_CREATED_UTC"] = "2024-01-02 03:04:05",
            ["DATE_UPDATED_UTC"] = "2024-02-03 04:05:06",
        };
        instance.Seed("Users", user);
        var key = Guid.NewGuid().ToString();
        keys[key] = (instance, user);
        issuedKeys.Add(key);
        return key;
    }

    /// <summary>Generating a new key in Insightly revokes the old one.</summary>
    public void RevokeKey(string key) => keys.TryRemove(key, out _);

    /// <summary>Every key this fake ever issued, revoked ones included: what must never appear in the product's logs.</summary>
    public IReadOnlyCollection<string> IssuedKeys => issuedKeys;

    public void AddFault(ScriptedFault fault) => faults.Add(fault);

    public void AddCannedResponse(CannedResponse response) => canned.Add(response);

    public void ClearRequests() => requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var pod = (string)request.RouteValues["pod"]!;
        var path = (string?)request.RouteValues["path"] ?? "";
        var key = ReadKey(request);
        var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        requests.Enqueue(new RecordedRequest(request.Method, pod, path, key, DateTimeOffset.UtcNow)
        {
            QueryString = request.QueryString.Value ?? "",
            Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value.ToArray()), StringComparer.OrdinalIgnoreCase),
            Body = body,
        });

        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, context.RequestAborted);
        }

        if (key is null || !keys.TryGetValue(key, out var caller) || caller.Instance.Pod != pod)
        {
            await WriteAsync(context, FakeResponse.Error(401, Denied), fault: null);
            return;
        }

        var instance = caller.Instance;
        switch (instance.Admit(DateTimeOffset.UtcNow))
        {
            case QuotaOutcome.DailyExhausted:
                AddRateLimitHeaders(context, instance);
                await WriteAsync(context, FakeResponse.Error(429, "API daily request limit exceeded."), fault: null);
                return;
            case QuotaOutcome.PerSecondExceeded:
                Interlocked.Increment(ref throttled);
                AddRateLimitHeaders(context, instance);
                context.Response.Headers.RetryAfter = "1";
                await WriteAsync(context, FakeResponse.Error(429, "Too many requests; limit is 10 per second."), fault: null);
                return;
        }

        AddRateLimitHeaders(context, instance);
        if (canned.Take(key, request.Method, path) is { } cannedResponse)
        {
            await cannedResponse.WriteAsync(context, bytes => Interlocked.Add(ref cannedBytesWritten, bytes));
            return;
        }

        var fault = faults.Take(key, request.Method, path);
        if (fault?.Delay is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        if (fault?.Hold is { } hold)
        {
            await hold.WaitAsync(context.RequestAborted);
        }

        if (fault?.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = fault.RetryAfter;
        }

        var response = fault?.Kind == FaultKind.Status
            ? FakeResponse.Error(fault.Status, $"Scripted failure {fault.Status}.")
            : new Router(instance, caller.User, Clock.GetUtcNow(), request, path, body).Handle();
        await WriteAsync(context, response, fault);
    }

    /// <summary>Writes the answer, broken as the fault says: none at all, cut-off JSON, a reset mid-body, or a body trickled out slowly.</summary>
    private static async Task WriteAsync(HttpContext context, FakeResponse response, ScriptedFault? fault)
    {
        if (fault?.Kind == FaultKind.ResetBeforeAnswer)
        {
            context.Abort();
            return;
        }

        var http = context.Response;
        var ct = context.RequestAborted;
        http.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        var body = response.Body ?? (fault?.Kind == FaultKind.MalformedJson ? new JsonObject { ["Message"] = "Scripted malformed body." } : null);
        if (body is null)
        {
            if (fault?.Kind == FaultKind.ResetMidBody)
            {
                context.Abort();
            }

            return;
        }

        var bytes = Encoding.UTF8.GetBytes(FakeResponse.Serialize(body));
        if (response.Status is >= 200 and < 300)
        {
            http.Headers.ETag = FakeResponse.ETagOf(body);
        }

        http.ContentType = "application/json; charset=utf-8";
        switch (fault?.Kind)
        {
            case FaultKind.MalformedJson:
                http.StatusCode = fault.Status;
                bytes = bytes[..(bytes.Length / 2)];
                http.ContentLength = bytes.Length;
                await http.Body.WriteAsync(bytes, ct);
                return;
            case FaultKind.ResetMidBody:
                http.ContentLength = bytes.Length;
                await http.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), ct);
                await http.Body.FlushAsync(ct);
                context.Abort();
                return;
            case FaultKind.SlowBody:
                http.ContentLength = bytes.Length;
                await http.StartAsync(ct);
                await http.Body.FlushAsync(ct);
                var size = (int)Math.Ceiling(bytes.Length / (double)Math.Max(1, fault.BodyPieces));
                for (var offset = 0; offset < bytes.Length; offset += size)
                {
                    await Task.Delay(fault.BodyPause, ct);
                    await http.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)), ct);
                    await http.Body.FlushAsync(ct);
                }

                return;
            default:
                http.ContentLength = bytes.Length;
                await http.Body.WriteAsync(bytes, ct);
                return;
        }
    }

    /// <summary>Accepts both <c>base64(key:)</c> and <c>base64(key)</c>, as Insightly does.</summary>
    private static string? ReadKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? decoded : decoded[..colon];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void AddRateLimitHeaders(HttpContext context, FakeInstance instance)
    {
        context.Response.Headers["X-RateLimit-Limit"] = instance.DailyQuota.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Remaining"] = instance.RemainingToday.ToString(CultureInfo.InvariantCulture);
    }
}
