using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Insightly.Unified.EndToEndTests;

/// <summary>A test that runs only when <c>SOAK=1</c> (scripts/soak.sh): it takes minutes, so the regular run leaves it out.</summary>
public sealed class SoakFactAttribute : FactAttribute
{
    public SoakFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("SOAK") != "1")
        {
            Skip = "A long run: scripts/soak.sh runs it.";
        }
    }
}

/// <summary>
/// 20,000 mixed requests at concurrency 32 through the local host, spread over 100 linked accounts (each with
/// Insightly's 10 requests a second): no unexpected answer, and memory that does not grow with the requests served.
/// </summary>
[Collection(nameof(ScaleOutTests))]
public sealed class SoakTests(ScaleOutFixture host, ITestOutputHelper output) : IClassFixture<ScaleOutFixture>
{
    private const int Requests = 20_000;
    private const int Concurrency = 32;
    private const int Accounts = 100;

    [SoakFact]
    public async Task Twenty_thousand_mixed_requests_at_concurrency_32_meet_no_unexpected_error_and_memory_stays_flat()
    {
        var accounts = new List<(string Id, string Key)>();
        for (var i = 0; i < Accounts; i++)
        {
            var (instance, key) = host.NewInstance();
            instance.SeedContacts(30);
            accounts.Add(((await host.LinkAsync(key)).Str("id"), key));
        }

        var unexpected = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var memory = new ConcurrentQueue<(int Served, long Bytes)>();
        var served = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, _) =>
        {
            var (id, _) = accounts[i % Accounts];
            var (status, expected) = await SendAsync(i, id);
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (!expected.Contains(status))
            {
                unexpected.Add($"request {i}: {status}");
            }

            if (Interlocked.Increment(ref served) % 1000 == 0)
            {
                // The harness keeps every request the fake saw and every log line; drop them so only the app is measured.
                host.Insightly.ClearRequests();
                host.LogLines.Clear();
                memory.Enqueue((served, GC.GetTotalMemory(forceFullCollection: true)));
            }
        });

        var samples = memory.OrderBy(m => m.Served).ToList();
        output.WriteLine($"{Requests} requests in {clock.Elapsed.TotalSeconds:F0} s ({Requests / clock.Elapsed.TotalSeconds:F0}/s); " +
            $"statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        output.WriteLine("managed heap after a full collection, per 1,000 requests (MiB): " +
            string.Join(" ", samples.Select(s => (s.Bytes / 1048576.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Empty(unexpected);
        var early = samples.Take(5).Average(s => s.Bytes);
        var late = samples.TakeLast(5).Average(s => s.Bytes);
        Assert.True(late < early * 1.5 + 16 * 1048576, $"the heap grew from {early / 1048576:F1} MiB to {late / 1048576:F1} MiB");
    }

    /// <summary>One request of the mix, and the statuses it may rightly get (429 when an account's queue is full).</summary>
    private async Task<(int Status, int[] Expected)> SendAsync(int i, string accountId)
    {
        var api = host.Api;
        HttpResponseMessage response;
        switch (i % 10)
        {
            case 0 or 1 or 2:
                response = await api.GetAsync($"unified/crm/contacts?integrated_account_id={accountId}&limit=10");
                return (Dispose(response), [200, 429]);
            case 3:
                response = await api.GetAsync($"unified/crm/contacts/100001?integrated_account_id={accountId}");
                return (Dispose(response), [200, 404, 429]);
            case 4:
                response = await api.PostAsJsonAsync($"unified/crm/contacts?integrated_account_id={accountId}", new JsonObject { ["last_name"] = $"Soak {i}" });
                return (Dispose(response), [201, 429]);
            case 5:
                response = await api.PatchAsJsonAsync($"unified/crm/contacts/100002?integrated_account_id={accountId}", new JsonObject { ["title"] = $"Title {i}" });
                return (Dispose(response), [200, 429]);
            case 6:
                response = await api.GetAsync($"proxy/Contacts?top=10&integrated_account_id={accountId}");
                return (Dispose(response), [200, 429]);
            case 7:
                response = await api.GetAsync($"integrated-accounts/{accountId}");
                return (Dispose(response), [200]);
            case 8:
                response = await api.GetAsync($"unified/crm/pipelines?integrated_account_id={accountId}");
                return (Dispose(response), [200, 429]);
            default:
                response = await api.GetAsync($"unified/crm/contacts?integrated_account_id={accountId}&colour=red");
                return (Dispose(response), [400]);
        }
    }

    private static int Dispose(HttpResponseMessage response)
    {
        using (response)
        {
            return (int)response.StatusCode;
        }
    }
}
