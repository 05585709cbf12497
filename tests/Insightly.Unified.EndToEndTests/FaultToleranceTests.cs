using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// Insightly misbehaving under the unified API: every caller gets the right answer or the contract's error,
/// retries never multiply the load (attempts ≤ requests × (1 + retries)), and a POST is never sent twice.
/// </summary>
public sealed class FaultToleranceTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    private const int MaxAttemptsPerRequest = 1 + 4;

    [Fact]
    public async Task A_burst_of_server_errors_is_ridden_out_by_retries()
    {
        var (_, key, id) = await LinkedAsync();
        host.Insightly.AddFault(new ScriptedFault(key, "Contacts", 503, 3) { Method = "GET" });

        using var response = await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, ListCalls(key));
    }

    [Fact]
    public async Task Server_errors_that_do_not_stop_are_502_after_a_bounded_number_of_attempts()
    {
        var (_, key, id) = await LinkedAsync();
        host.Insightly.AddFault(new ScriptedFault(key, "Contacts", 500, 50) { Method = "GET" });

        var error = await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}"));

        Json.AssertError(error, 502, "upstream_error");
        Assert.Equal(500, error["remote_status"]!.GetValue<int>());
        Assert.InRange(ListCalls(key), 2, MaxAttemptsPerRequest);
    }

    [Fact]
    public async Task An_answer_slower_than_the_timeouts_is_504()
    {
        var (_, key, id) = await LinkedAsync();
        host.Insightly.AddFault(new ScriptedFault(key, "Contacts", 200, 50, Delay: TimeSpan.FromSeconds(10)) { Method = "GET" });

        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}")), 504, "upstream_timeout");
        Assert.InRange(ListCalls(key), 1, MaxAttemptsPerRequest);
    }

    [Fact]
    public async Task An_answer_cut_off_mid_body_is_retried_or_502_never_a_half_page()
    {
        var (instance, key, id) = await LinkedAsync();
        instance.SeedContacts(50);
        host.Insightly.AddFault(ScriptedFault.ResetMidBody(key, "Contacts", method: "GET"));

        using var response = await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&limit=100");
        var body = await Json.ReadAsync(response);

        // Cut before the headers arrive, the GET is retried; cut after them, the page cannot be trusted: 502.
        if (response.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(50, body["result_count"]!.GetValue<int>());
            Assert.Equal(2, ListCalls(key));
        }
        else
        {
            Json.AssertError(body, 502, "upstream_error");
        }
    }

    [Fact]
    public async Task An_answer_that_is_not_json_is_502()
    {
        var (instance, key, id) = await LinkedAsync();
        instance.SeedContacts(5);
        host.Insightly.AddFault(ScriptedFault.MalformedJson(key, "Contacts", method: "GET"));

        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}")), 502, "upstream_error");
    }

    [Fact]
    public async Task A_create_that_meets_a_server_error_is_sent_once_and_reported()
    {
        var (instance, key, id) = await LinkedAsync();
        host.Insightly.AddFault(new ScriptedFault(key, "Contacts", 503, 5) { Method = "POST" });

        var error = await Json.ReadAsync(await host.Api.PostAsJsonAsync($"unified/crm/contacts?integrated_account_id={id}", new JsonObject { ["last_name"] = "Once" }));

        Json.AssertError(error, 502, "upstream_error");
        Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && r.Method == "POST");
        Assert.Empty(instance.All("Contacts"));
    }

    [Fact]
    public async Task Thirty_two_callers_in_a_429_storm_each_get_their_page_or_429_with_Retry_After()
    {
        var (instance, key, id) = await LinkedAsync();
        instance.SeedContacts(10);
        await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&limit=1");
        instance.RequestsPerSecond = 3;
        host.Insightly.ClearRequests();

        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}")));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var response in responses)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Json.AssertError(await Json.ReadAsync(response), 429, "rate_limited");
                Assert.NotNull(response.Headers.RetryAfter);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        // Callers whose wait for a permit would outlast their budget are answered 429 without a call at all.
        Assert.InRange(ListCalls(key), 1, 32 * MaxAttemptsPerRequest);
        instance.RequestsPerSecond = 10;
    }

    private int ListCalls(string key) => host.Insightly.Requests.Count(r => r.ApiKey == key && r.Method == "GET" && r.Path == "Contacts");

    private async Task<(FakeInstance Instance, string Key, string AccountId)> LinkedAsync()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        // Warm the account's lookups, so only the calls under test reach Insightly.
        await host.Api.GetAsync($"unified/crm/contacts?integrated_account_id={id}&limit=1");
        host.Insightly.ClearRequests();
        return (instance, key, id);
    }
}
