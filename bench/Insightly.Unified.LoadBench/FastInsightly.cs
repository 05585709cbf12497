using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FakeInsightly;

namespace Insightly.Unified.LoadBench;

/// <summary>
/// A fake Insightly fast enough not to be the bottleneck: it serves fixed pages of realistic contacts, taken once
/// at start-up from the test suite's <see cref="FakeInsightlyServer"/> (custom fields of every type, non-ASCII names,
/// nulls, links, tags), as pre-encoded bytes. Paging works over any total (<c>X-Total-Count</c>, 100,000 by
/// default) by repeating those records; every key it was started with is accepted as Basic auth. It also streams a
/// generated body of any size (<c>FileAttachments/{bytes}</c>) and counts what it served (<c>GET /__stats</c>).
/// </summary>
public static class FastInsightly
{
    public const int DistinctRecords = 500;
    public const long TotalContacts = 100_000;

    public static async Task RunAsync(int port, int accounts, string keysFile)
    {
        var data = await CaptureAsync(accounts);
        await File.WriteAllLinesAsync(keysFile, data.Keys);
        var keysByHeader = data.Keys.Select((key, i) => (Header: "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")), i))
            .ToDictionary(k => k.Header, k => k.i, StringComparer.Ordinal);
        var stats = new Stats();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/__stats", () => Results.Json(stats.Snapshot()));
        app.MapPost("/__stats/reset", () => stats.Reset());
        // An OTLP/HTTP sink for the telemetry-on cell: takes what a host exports and drops it, so the export is done in full.
        app.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
        {
            stats.Count("otlp/" + signal);
            await context.Request.Body.CopyToAsync(Stream.Null);
            return Results.Ok();
        });
        app.Map("/{pod}/v3.1/{**path}", async context =>
        {
            var response = context.Response;
            if (!keysByHeader.TryGetValue(context.Request.Headers.Authorization.ToString(), out var user))
            {
                stats.Count("401");
                response.StatusCode = 401;
                await response.Body.WriteAsync(Denied);
                return;
            }

            response.ContentType = "application/json; charset=utf-8";
            response.Headers["X-RateLimit-Limit"] = "100000000";
            response.Headers["X-RateLimit-Remaining"] = "99999999";
            var path = (string?)context.Request.RouteValues["path"] ?? "";
            var segments = path.Split('/');
            switch (segments[0].ToLowerInvariant())
            {
                case "contacts" when segments.Length == 1:
                    stats.Count("Contacts");
                    await WritePageAsync(context, data.Records);
                    break;
                case "contacts" when segments.Length == 2:
                    stats.Count("Contacts/{id}");
                    var id = long.TryParse(segments[1], CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
                    await response.Body.WriteAsync(data.Records[(int)(Math.Abs(id) % DistinctRecords)]);
                    break;
                case "customfields":
                    stats.Count("CustomFields");
                    await response.Body.WriteAsync(data.CustomFields);
                    break;
                case "users" when segments.Length == 2 && segments[1].Equals("me", StringComparison.OrdinalIgnoreCase):
                    stats.Count("Users/Me");
                    await response.Body.WriteAsync(data.UsersMe[user]);
                    break;
                case "instance":
                    stats.Count("Instance");
                    await response.Body.WriteAsync(data.Instance);
                    break;
                case "fileattachments" when segments.Length == 2 && long.TryParse(segments[1], CultureInfo.InvariantCulture, out var bytes):
                    stats.Count("FileAttachments");
                    await WriteBigAsync(context, bytes);
                    break;
                default:
                    stats.Count("404");
                    response.StatusCode = 404;
                    await response.Body.WriteAsync(Encoding.UTF8.GetBytes("""{"Message":"No HTTP resource was found that matches the request URI."}"""));
                    break;
            }
        });
        await app.StartAsync();
        Console.WriteLine($"Fast fake Insightly on http://127.0.0.1:{port}/{{pod}}/v3.1/ with {data.Keys.Count} keys in {keysFile}");
        await WaitForStopAsync();
        await app.StopAsync();
    }

    private static readonly byte[] Denied = Encoding.UTF8.GetBytes("""{"Message":"Authorization has been denied for this request."}""");
    private static readonly byte[] Comma = [(byte)','];

    private static async Task WritePageAsync(HttpContext context, IReadOnlyList<byte[]> records)
    {
        var query = context.Request.Query;
        var skip = long.TryParse(query["skip"], CultureInfo.InvariantCulture, out var s) ? Math.Max(0, s) : 0;
        var top = long.TryParse(query["top"], CultureInfo.InvariantCulture, out var t) ? Math.Clamp(t, 0, 500) : 100;
        if (string.Equals(query["count_total"], "true", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers["X-Total-Count"] = TotalContacts.ToString(CultureInfo.InvariantCulture);
        }

        var count = (int)Math.Max(0, Math.Min(top, TotalContacts - skip));
        var length = 2 + Math.Max(0, count - 1);
        for (var i = 0; i < count; i++)
        {
            length += records[(int)((skip + i) % DistinctRecords)].Length;
        }

        context.Response.ContentLength = length;
        var body = context.Response.BodyWriter;
        body.Write("["u8);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                body.Write(Comma);
            }

            body.Write(records[(int)((skip + i) % DistinctRecords)]);
        }

        body.Write("]"u8);
        await body.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteBigAsync(HttpContext context, long bytes)
    {
        // One JSON string of the given size, made while it is written: the fake never holds it whole.
        context.Response.ContentLength = bytes;
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        chunk[0] = (byte)'"';
        var written = 0L;
        while (written < bytes)
        {
            var size = (int)Math.Min(chunk.Length, bytes - written);
            if (written + size == bytes)
            {
                chunk[size - 1] = (byte)'"';
            }

            await context.Response.Body.WriteAsync(chunk.AsMemory(0, size), context.RequestAborted);
            chunk[0] = (byte)'x';
            written += size;
        }
    }

    /// <summary>Realistic records from the test suite's fake: 500 contacts, the custom field definitions, users.</summary>
    private static async Task<Captured> CaptureAsync(int accounts)
    {
        await using var server = await FakeInsightlyServer.StartAsync();
        var instance = server.AddInstance("na1", "bench", dailyQuota: long.MaxValue / 2);
        instance.RequestsPerSecond = int.MaxValue;
        var keys = Enumerable.Range(0, accounts).Select(i => server.AddUser(instance, "Bench", $"User{i}", $"bench{i}@example.com")).ToList();
        instance.SeedStandardData();
        instance.SeedOrganisations(20);
        instance.SeedContacts(DistinctRecords);

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrlTemplate.Replace("{pod}", "na1", StringComparison.Ordinal)) };
        async Task<byte[]> GetAsync(string path, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsByteArrayAsync();
        }

        using var page = JsonDocument.Parse(await GetAsync($"Contacts?skip=0&top={DistinctRecords}", keys[0]));
        var records = page.RootElement.EnumerateArray().Select(r => Encoding.UTF8.GetBytes(r.GetRawText())).ToList();
        var usersMe = new List<byte[]>();
        foreach (var key in keys)
        {
            usersMe.Add(await GetAsync("Users/Me", key));
        }

        return new Captured(keys, records, await GetAsync("CustomFields/Contacts", keys[0]), usersMe, await GetAsync("Instance", keys[0]));
    }

    internal static async Task WaitForStopAsync()
    {
        var stop = new TaskCompletionSource();
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
    }

    private sealed record Captured(IReadOnlyList<string> Keys, IReadOnlyList<byte[]> Records, byte[] CustomFields, IReadOnlyList<byte[]> UsersMe, byte[] Instance);

    private sealed class Stats
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);

        public void Count(string kind) => counts.AddOrUpdate(kind, 1, (_, n) => n + 1);

        public Dictionary<string, long> Snapshot() => new(counts);

        public void Reset() => counts.Clear();
    }
}
