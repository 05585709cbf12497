using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FakeInsightly;
using Insightly.Unified.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// The local host on a loopback port, a fake Insightly on another, and real Azurite — with tables of its
/// own, so test classes never see each other's accounts.
/// </summary>
public partial class ApiHostFixture : IAsyncLifetime
{
    private readonly string runId = "e2e" + Guid.NewGuid().ToString("N")[..12];
    private WebApplication? app;
    private Dictionary<string, string?> settings = [];

    public FakeInsightlyServer Insightly { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public IServiceProvider Services => app!.Services;

    /// <summary>The storage connection string the host runs against.</summary>
    public string Storage { get; private set; } = "";

    public TableClient SecretsTable => new TableServiceClient(Storage).GetTableClient("Secrets" + runId);

    public TableClient LinkTokensTable => new TableServiceClient(Storage).GetTableClient("LinkTokens" + runId);

    public TableClient IdempotencyTable => new TableServiceClient(Storage).GetTableClient("Idempotency" + runId);

    public ConcurrentQueue<string> LogLines { get; } = new();

    /// <summary>
    /// The spans (names, tags, events and status, as text) that held one of this fixture's Insightly keys or a
    /// webhook secret when they ended. Each span is checked as it ends and only these are kept, so a long run (the
    /// soak) does not hold every span in memory. The listener is process-wide: other fixtures' spans are checked too.
    /// </summary>
    private readonly ConcurrentQueue<string> leakingSpans = new();

    private ActivityListener? spans;

    /// <summary>This run's webhook queues (the poison queues add <c>-poison</c>).</summary>
    public string EventsQueue => "events-" + runId;

    public string DeliveriesQueue => "deliveries-" + runId;

    public async Task InitializeAsync()
    {
        spans = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var text = Describe(activity);
                if (HoldsSecret(text))
                {
                    leakingSpans.Enqueue(text);
                }
            },
        };
        ActivitySource.AddActivityListener(spans);
        Storage = await StartStorageAsync();
        Insightly = await FakeInsightlyServer.StartAsync();
        settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = Storage,
            ["Insightly:BaseUrlTemplate"] = Insightly.BaseUrlTemplate,
            ["Insightly:RetryBaseDelay"] = "00:00:00.050",
            ["Insightly:AttemptTimeout"] = "00:00:02",
            ["Insightly:TotalTimeout"] = "00:00:06",
            // Tests provoke many failures on purpose; the breaker would turn later ones into 503s.
            ["Insightly:CircuitMinimumThroughput"] = "1000",
            ["Storage:AccountsTable"] = "Accounts" + runId,
            ["Storage:DevelopmentSecretsTable"] = "Secrets" + runId,
            ["Storage:IdempotencyTable"] = "Idempotency" + runId,
            ["Storage:LinkTokensTable"] = "LinkTokens" + runId,
            ["Storage:WebhooksTable"] = "Webhooks" + runId,
            ["Storage:WebhookOutboxTable"] = "WebhookOutbox" + runId,
            // Queues of this run's own. Their functions run only in fixtures that test webhooks (WebhookHostFixture):
            // elsewhere the pollers would only add load to the shared Azurite.
            ["WEBHOOK_EVENTS_QUEUE"] = EventsQueue,
            ["WEBHOOK_DELIVERIES_QUEUE"] = DeliveriesQueue,
            ["AzureWebJobs.WebhookFanOut.Disabled"] = "true",
            ["AzureWebJobs.WebhookDelivery.Disabled"] = "true",
            // Once a year: the scheduled run must not interfere; tests call the check themselves.
            ["CREDENTIAL_CHECK_SCHEDULE"] = "0 0 0 1 1 *",
        };
        foreach (var (name, value) in ExtraSettings)
        {
            settings[name] = value;
        }

        (app, Api) = await StartHostAsync();
    }

    /// <summary>Another instance of the app on the same storage and Insightly, as a scaled-out deployment runs.</summary>
    public async Task<(WebApplication Host, HttpClient Api)> StartHostAsync()
    {
        var host = LocalFunctionsHost.Create([], settings, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(new CapturingLoggerProvider(LogLines));
        });
        await host.StartAsync();
        return (host, new HttpClient { BaseAddress = new Uri(host.Urls.First().TrimEnd('/') + "/api/") });
    }

    public virtual async Task DisposeAsync()
    {
        Api.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await Insightly.DisposeAsync();
        spans?.Dispose();
        // Whatever the tests did, no Insightly key and no webhook signing secret may have reached a log line or a span.
        var texts = LogLines.Concat(leakingSpans).ToList();
        var leaked = Insightly.IssuedKeys.Where(key => texts.Any(text => text.Contains(key, StringComparison.Ordinal)))
            .Concat(texts.SelectMany(text => WebhookSecret().Matches(text).Select(match => match.Value)))
            .Distinct()
            .ToList();
        var tables = new TableServiceClient(Storage);
        await tables.DeleteTableAsync("Accounts" + runId);
        await tables.DeleteTableAsync("Secrets" + runId);
        await tables.DeleteTableAsync("Idempotency" + runId);
        await tables.DeleteTableAsync("LinkTokens" + runId);
        await tables.DeleteTableAsync("Webhooks" + runId);
        await tables.DeleteTableAsync("WebhookOutbox" + runId);
        var queues = new QueueServiceClient(Storage);
        foreach (var queue in new[] { EventsQueue, DeliveriesQueue })
        {
            await queues.GetQueueClient(queue).DeleteIfExistsAsync();
            await queues.GetQueueClient(queue + "-poison").DeleteIfExistsAsync();
        }

        if (leaked.Count > 0)
        {
            var text = texts.First(t => t.Contains(leaked[0], StringComparison.Ordinal)).Replace(leaked[0], "<the secret>", StringComparison.Ordinal);
            throw new InvalidOperationException($"{leaked.Count} API key(s) or webhook secret(s) appeared in the app's log lines or spans, e.g.: {text}");
        }
    }

    private bool HoldsSecret(string text) =>
        WebhookSecret().IsMatch(text)
        || (Insightly is { } fake && fake.IssuedKeys.Any(key => text.Contains(key, StringComparison.Ordinal)));

    private static string Describe(Activity activity) =>
        string.Join(" | ", new[] { activity.Source.Name, activity.DisplayName, activity.StatusDescription ?? "" }
            .Concat(activity.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"))
            .Concat(activity.Events.SelectMany(e => e.Tags.Select(tag => $"{e.Name}:{tag.Key}={tag.Value}").Prepend(e.Name)))
            .Concat(activity.Baggage.Select(item => $"{item.Key}={item.Value}")));

    [GeneratedRegex("whsec_[A-Za-z0-9_-]{16,}")]
    private static partial Regex WebhookSecret();

    /// <summary>A fresh Insightly instance with one user; returns the user's key.</summary>
    public (FakeInstance Instance, string Key) NewInstance(string pod = "na1")
    {
        var instance = Insightly.AddInstance(pod, "inst" + Guid.NewGuid().ToString("N")[..8]);
        return (instance, Insightly.AddUser(instance, "Ada", "Lovelace", "ada@example.com"));
    }

    /// <summary>Links an account through the API and returns its JSON.</summary>
    public async Task<JsonObject> LinkAsync(string key, string pod = "na1", string? tenantId = null)
    {
        using var response = await Api.PostAsJsonAsync("integrated-accounts", new { api_key = key, pod, tenant_id = tenantId });
        var body = await Json.ReadAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"Linking failed: {(int)response.StatusCode} {body.ToJsonString()}");
        return body;
    }

    public T GetService<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// The calls a key made for records, as <c>METHOD Path</c> (with the query string when asked), leaving out the
    /// per-account lookups (custom fields, pipelines, stages, lead statuses and sources), which are cached.
    /// </summary>
    public List<string> RecordCalls(string key, bool withQuery = false) =>
        [.. Insightly.Requests.Where(r => r.ApiKey == key && !IsLookup(r.Path)).Select(r => $"{r.Method} {r.Path}{(withQuery ? r.QueryString : "")}")];

    public static bool IsLookup(string path) =>
        path.StartsWith("CustomFields", StringComparison.Ordinal) || path is "Pipelines" or "PipelineStages" or "LeadStatuses" or "LeadSources";

    /// <summary>Settings a fixture adds to (or changes in) the host's.</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    /// <summary>The shared Azurite that ./test.sh starts; a fixture may bring its own instead.</summary>
    protected virtual async Task<string> StartStorageAsync()
    {
        await EnsureAzuriteIsRunningAsync();
        return "UseDevelopmentStorage=true";
    }

    private static async Task EnsureAzuriteIsRunningAsync()
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync("127.0.0.1", 10002);
        }
        catch (SocketException)
        {
            throw new InvalidOperationException("Azurite is not listening on 127.0.0.1:10002. Run the tests with ./test.sh, which starts it.");
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
