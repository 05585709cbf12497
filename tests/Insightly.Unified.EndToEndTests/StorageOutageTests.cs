using System.Net;
using System.Net.Http.Json;

namespace Insightly.Unified.EndToEndTests;

/// <summary>The local host on an Azurite of its own, which the tests stop and start again.</summary>
public sealed class StorageOutageFixture : ApiHostFixture
{
    public PrivateAzurite Azurite { get; } = new();

    public override async Task DisposeAsync()
    {
        // Storage must be up for the base fixture to drop its tables.
        await Azurite.StopAsync();
        await Azurite.StartAsync();
        await base.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    protected override async Task<string> StartStorageAsync()
    {
        await Azurite.StartAsync();
        return Azurite.ConnectionString;
    }
}

public sealed class StorageOutageTests(StorageOutageFixture host) : IClassFixture<StorageOutageFixture>
{
    [Fact]
    public async Task While_storage_is_down_calls_answer_503_naming_storage_and_recover_when_it_returns()
    {
        var id = (await host.LinkAsync(host.NewInstance().Key, tenantId: "outage")).Str("id");

        await host.Azurite.StopAsync();
        using (var down = await host.Api.GetAsync($"integrated-accounts/{id}"))
        {
            var error = await Json.ReadAsync(down);
            Json.AssertError(error, 503, "upstream_unavailable");
            Assert.Equal("storage", error["details"].Str("source"));
        }

        using (var linkWhileDown = await host.Api.PostAsJsonAsync("integrated-accounts", new { api_key = host.NewInstance().Key, pod = "na1", tenant_id = "outage" }))
        {
            Json.AssertError(await Json.ReadAsync(linkWhileDown), 503, "upstream_unavailable");
        }

        using (var health = await host.Api.GetAsync("health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await host.Azurite.StartAsync();
        var recovered = await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts/{id}"));
        Assert.True(recovered["id"] is not null, recovered.ToJsonString());
        Assert.Equal(id, recovered.Str("id"));
        // The link attempted during the outage left nothing behind.
        var listed = await Json.ReadAsync(await host.Api.GetAsync("integrated-accounts?tenant_id=outage"));
        Assert.Equal([id], listed["result"]!.AsArray().Select(a => a.Str("id")));
    }
}
