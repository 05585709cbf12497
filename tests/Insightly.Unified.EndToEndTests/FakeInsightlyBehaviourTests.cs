using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>The fake must behave as insightly-api.md describes, or the other tests prove nothing.</summary>
public sealed class FakeInsightlyBehaviourTests : IAsyncLifetime
{
    private FakeInsightlyServer server = null!;
    private FakeInstance instance = null!;
    private string key = null!;

    public async Task InitializeAsync()
    {
        server = await FakeInsightlyServer.StartAsync();
        instance = server.AddInstance("eu1", "fakecheck");
        key = server.AddUser(instance, "Ada", "Lovelace", "ada@example.com");
        for (var i = 0; i < 11; i++)
        {
            server.AddUser(instance, "User", $"{i}", $"user{i}@example.com");
        }
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Accepts_the_key_as_basic_user_name_with_or_without_a_colon(bool withColon)
    {
        using var response = await Get("Users/Me", withColon ? key + ":" : key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Refuses_a_key_on_another_pod_with_Insightlys_message()
    {
        using var response = await Get("Users/Me", key + ":", pod: "na1");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Authorization has been denied for this request.",
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lists_are_bare_arrays_paged_by_skip_and_top_with_a_total_count()
    {
        using var response = await Get("Users?skip=10&top=5&count_total=true", key);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();

        Assert.Equal(2, page.Count);
        Assert.Equal("12", response.Headers.GetValues("X-Total-Count").Single());
        Assert.True(page[0]!["USER_ID"]!.GetValue<long>() < page[1]!["USER_ID"]!.GetValue<long>());
    }

    [Fact]
    public async Task Every_answer_carries_the_daily_quota_headers()
    {
        using var response = await Get("Instance", key);
        Assert.Equal("60000", response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.True(long.Parse(response.Headers.GetValues("X-RateLimit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture) < 60000);
    }

    [Fact]
    public async Task More_than_ten_requests_in_a_second_get_429_with_Retry_After()
    {
        instance.RequestsPerSecond = 3;
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Get("Instance", key)));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.TooManyRequests && r.Headers.RetryAfter is not null);
        Assert.All(responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests),
            r => Assert.NotEqual("0", r.Headers.GetValues("X-RateLimit-Remaining").Single()));
    }

    private async Task<HttpResponseMessage> Get(string path, string credentials, string pod = "eu1")
    {
        using var client = new HttpClient { BaseAddress = new Uri(server.BaseUrlTemplate.Replace("{pod}", pod, StringComparison.Ordinal)) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return await client.GetAsync(path);
    }
}
