using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Insightly.Unified.EndToEndTests;

/// <summary>Many writes at once on one account, with production-like timeouts: nothing is lost and nothing is written twice.</summary>
[Collection(nameof(ScaleOutTests))]
public sealed class ConcurrentWriteTests(ScaleOutFixture host) : IClassFixture<ScaleOutFixture>
{
    [Fact]
    public async Task Two_hundred_concurrent_creates_with_distinct_idempotency_keys_make_exactly_two_hundred_records()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => CreateAsync(id, $"create-{i}", $"Contact {i}")));

        Assert.All(responses, status => Assert.Equal(HttpStatusCode.Created, status));
        Assert.Equal(200, instance.All("Contacts").Count);
        Assert.Equal(200, instance.All("Contacts").Select(c => c.Str("LAST_NAME")).Distinct().Count());
    }

    [Fact]
    public async Task Fifty_concurrent_replays_of_one_key_make_exactly_one_record()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => CreateAsync(id, "one-key", "Only once")));

        // The first is created; the rest replay it, or are told it is still running.
        Assert.All(responses, status => Assert.Contains(status, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Contains(HttpStatusCode.Created, responses);
        Assert.Single(instance.All("Contacts"));
        Assert.Single(host.Insightly.Requests, r => r.ApiKey == key && r.Method == "POST");
    }

    private async Task<HttpStatusCode> CreateAsync(string accountId, string idempotencyKey, string lastName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"unified/crm/contacts?integrated_account_id={accountId}")
        {
            Content = JsonContent.Create(new JsonObject { ["last_name"] = lastName }),
            Headers = { { "Idempotency-Key", idempotencyKey } },
        };
        using var response = await host.Api.SendAsync(request);
        return response.StatusCode;
    }
}
