using System.Net;
using Insightly.Unified.IntegratedAccounts;

namespace Insightly.Unified.EndToEndTests;

/// <summary>The local host with its tables on the shared Azurite and its queues on an Azurite of its own, which the tests stop.</summary>
public sealed class QueueOutageFixture : ApiHostFixture
{
    public PrivateAzurite Queues { get; } = new("queue");

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>(WebhookHostFixture.WebhookSettings)
    {
        // The credential check sends what is left on a row at once (in production only after 2 minutes).
        ["Webhooks:RepairAfter"] = "00:00:00",
    };

    public override async Task DisposeAsync()
    {
        await Queues.StopAsync();
        await Queues.StartAsync();
        await base.DisposeAsync();
        await Queues.DisposeAsync();
    }

    protected override async Task<string> StartStorageAsync()
    {
        await base.StartStorageAsync();
        await Queues.StartAsync();
        return Queues.ConnectionString;
    }
}

/// <summary>
/// The queue is down when an account changes: the call answers as before, the event waits on the account row (or, for a
/// deleted account, in the outbox), and the next credential check sends it once the queue is back — never lost.
/// </summary>
public sealed class QueueOutageTests(QueueOutageFixture host) : IClassFixture<QueueOutageFixture>, IAsyncLifetime
{
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Events_raised_while_the_queue_is_down_are_sent_by_the_next_credential_check()
    {
        var tenant = "outage-" + Guid.NewGuid().ToString("N")[..8];
        using (var subscribed = await host.Api.PostAsync("webhooks", System.Net.Http.Json.JsonContent.Create(new { url = receiver.Url("outage"), events = new[] { "*" }, tenant_id = tenant })))
        {
            Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        }

        var doomed = (await host.LinkAsync(host.NewInstance().Key, tenantId: tenant)).Str("id");
        await receiver.WaitAsync("outage", d => d.Any(r => r.AccountId == doomed));

        await host.Queues.StopAsync();
        // Both calls answer as they always do.
        var linked = (await host.LinkAsync(host.NewInstance().Key, tenantId: tenant)).Str("id");
        using (var deleted = await host.Api.DeleteAsync($"integrated-accounts/{doomed}"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        var pending = (await host.GetService<AccountRepository>().FindAsync(linked, default))!.PendingEvents;
        Assert.Equal(["integrated_account.created"], pending.Select(e => e.Type));
        Assert.Contains(host.LogLines, line => line.Contains("next credential check sends them", StringComparison.Ordinal));

        await host.Queues.StartAsync();
        await Task.Delay(1000);
        Assert.DoesNotContain(receiver.At("outage"), r => r.AccountId == linked || r.Type == "integrated_account.deleted");

        await host.GetService<CredentialCheckRun>().RunAsync(default);

        var events = await receiver.WaitAsync("outage",
            d => d.Any(r => r.EventId == pending[0].Id) && d.Any(r => r.Type == "integrated_account.deleted" && r.AccountId == doomed));
        Assert.Equal(pending[0].Body, events.First(r => r.EventId == pending[0].Id).Body);
        Assert.Empty((await host.GetService<AccountRepository>().FindAsync(linked, default))!.PendingEvents);
    }
}
