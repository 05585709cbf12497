using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FakeInsightly;

/// <summary>A request the fake received, for assertions such as "no retry happened".</summary>
public sealed record RecordedRequest(string Method, string Pod, string Path, string? ApiKey, DateTimeOffset At);

/// <summary>A scripted answer for the next requests with this key to this path, e.g. three 503s for <c>Users/Me</c>.</summary>
public sealed record ScriptedFault(string ApiKey, string Path, int Status, int Times, TimeSpan? Delay = null, string? RetryAfter = null);

/// <summary>
/// An Insightly v3.1 stand-in on loopback, behaving as shared/docs/insightly-api.md describes: pods in
/// the URL (<c>/{pod}/v3.1/...</c> stands for <c>api.{pod}.insightly.com/v3.1/...</c>), Basic auth with
/// the key as user name, bare JSON arrays with skip/top (≤ 500) and <c>X-Total-Count</c>, 10 requests per
/// second and a daily quota with <c>X-RateLimit-*</c> headers, and <c>{"Message": …}</c> errors.
/// </summary>
public sealed class FakeInsightlyServer : IAsyncDisposable
{
    private const string Denied = "Authorization has been denied for this request.";
    private const int MaxTop = 500;

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (FakeInstance Instance, JsonObject User)> keys = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly List<ScriptedFault> faults = [];
    private readonly Lock faultGate = new();
    private long nextUserId = 1000;
    private int throttled;

    private FakeInsightlyServer(WebApplication app) => this.app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>The value for <c>Insightly__BaseUrlTemplate</c>.</summary>
    public string BaseUrlTemplate => $"{Address}{{pod}}/v3.1/";

    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    /// <summary>How many requests the fake refused with its own per-second limit (not scripted 429s).</summary>
    public int ThrottledCount => Volatile.Read(ref throttled);

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
        return key;
    }

    /// <summary>Generating a new key in Insightly revokes the old one.</summary>
    public void RevokeKey(string key) => keys.TryRemove(key, out _);

    public void AddFault(ScriptedFault fault)
    {
        lock (faultGate)
        {
            faults.Add(fault);
        }
    }

    public void ClearRequests() => requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var pod = (string)context.Request.RouteValues["pod"]!;
        var path = (string?)context.Request.RouteValues["path"] ?? "";
        var key = ReadKey(context.Request);
        requests.Enqueue(new RecordedRequest(context.Request.Method, pod, path, key, DateTimeOffset.UtcNow));

        if (key is null || !keys.TryGetValue(key, out var caller) || caller.Instance.Pod != pod)
        {
            await WriteAsync(context, 401, new JsonObject { ["Message"] = Denied });
            return;
        }

        var instance = caller.Instance;
        switch (instance.Admit(DateTimeOffset.UtcNow))
        {
            case QuotaOutcome.DailyExhausted:
                AddRateLimitHeaders(context, instance);
                await WriteAsync(context, 429, new JsonObject { ["Message"] = "API daily request limit exceeded." });
                return;
            case QuotaOutcome.PerSecondExceeded:
                Interlocked.Increment(ref throttled);
                AddRateLimitHeaders(context, instance);
                context.Response.Headers.RetryAfter = "1";
                await WriteAsync(context, 429, new JsonObject { ["Message"] = "Too many requests; limit is 10 per second." });
                return;
        }

        AddRateLimitHeaders(context, instance);
        if (TakeFault(key, path) is { } fault)
        {
            if (fault.Delay is { } delay)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            if (fault.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = fault.RetryAfter;
            }

            await WriteAsync(context, fault.Status, new JsonObject { ["Message"] = $"Scripted failure {fault.Status}." });
            return;
        }

        await RouteAsync(context, instance, caller.User, path);
    }

    private async Task RouteAsync(HttpContext context, FakeInstance instance, JsonObject user, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var isGet = HttpMethods.IsGet(context.Request.Method);
        switch (segments)
        {
            case ["Users", "Me"] when isGet:
                await WriteAsync(context, 200, user.DeepClone());
                return;
            case ["Instance"] when isGet:
                await WriteAsync(context, 200, instance.Instance);
                return;
            case [var collection] when isGet && instance.Records(collection) is { } records:
                await WriteListAsync(context, records);
                return;
            case [var collection, var id] when isGet && instance.Records(collection) is { } records:
                var record = records.FirstOrDefault(r => FakeInstance.RecordId(r).ToString(CultureInfo.InvariantCulture) == id);
                await WriteAsync(context, record is null ? 404 : 200,
                    record?.DeepClone() ?? new JsonObject { ["Message"] = $"No {collection} record with id {id}." });
                return;
            default:
                await WriteAsync(context, 404, new JsonObject { ["Message"] = $"No HTTP resource was found that matches /v3.1/{path}." });
                return;
        }
    }

    private static async Task WriteListAsync(HttpContext context, IReadOnlyList<JsonObject> records)
    {
        var query = context.Request.Query;
        var skip = int.TryParse(query["skip"], out var s) ? Math.Max(0, s) : 0;
        var top = int.TryParse(query["top"], out var t) ? Math.Clamp(t, 0, MaxTop) : 100;
        if (string.Equals(query["count_total"], "true", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers["X-Total-Count"] = records.Count.ToString(CultureInfo.InvariantCulture);
        }

        var page = new JsonArray(records.Skip(skip).Take(top).Select(r => (JsonNode?)r.DeepClone()).ToArray());
        await WriteAsync(context, 200, page);
    }

    private ScriptedFault? TakeFault(string key, string path)
    {
        lock (faultGate)
        {
            var index = faults.FindIndex(f => f.ApiKey == key && f.Path.Equals(path, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            var fault = faults[index];
            faults[index] = fault with { Times = fault.Times - 1 };
            if (fault.Times <= 1)
            {
                faults.RemoveAt(index);
            }

            return fault;
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

    private static Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
