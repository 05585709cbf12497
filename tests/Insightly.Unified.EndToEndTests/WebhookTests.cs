using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Webhooks;

namespace Insightly.Unified.EndToEndTests;

/// <summary>The host with its queue functions running: polled often, and retries in seconds rather than over a day.</summary>
public class WebhookHostFixture : ApiHostFixture
{
    public static IReadOnlyDictionary<string, string?> WebhookSettings { get; } = new Dictionary<string, string?>
    {
        ["AzureWebJobs.WebhookFanOut.Disabled"] = "false",
        ["AzureWebJobs.WebhookDelivery.Disabled"] = "false",
        ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.250",
        ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00.200",
        ["Webhooks:RetryBaseDelay"] = "00:00:00.250",
        ["Webhooks:RetryMaxDelay"] = "00:00:01",
        ["Webhooks:MaxAttempts"] = "8",
    };

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => WebhookSettings;
}

/// <summary>
/// Webhooks over real HTTP: the local host with its queue poller on this run's Azurite queues, the fake Insightly, and a
/// receiver on a loopback port. The fixture's retry schedule is 8 attempts over about 7 seconds.
/// </summary>
public sealed class WebhookTests(WebhookHostFixture host) : IClassFixture<WebhookHostFixture>, IAsyncLifetime
{
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task Linking_an_account_delivers_created_with_a_signature_the_secret_verifies()
    {
        var tenant = NewTenant();
        var (id, secret) = await SubscribeAsync("created", ["integrated_account.created"], tenant);
        var (_, otherTenantSecret) = await SubscribeAsync("other-tenant", ["*"], NewTenant());

        var account = await host.LinkAsync(host.NewInstance().Key, tenantId: tenant);

        var delivery = (await receiver.WaitAsync("created", d => d.Count >= 1)).Single();
        Assert.Equal("integrated_account.created", delivery.Type);
        Assert.Equal(account.Str("id"), delivery.AccountId);
        Assert.Equal(delivery.Json.Str("id"), delivery.EventId);
        Assert.StartsWith("evt_", delivery.EventId);
        Assert.Equal("application/json; charset=utf-8", delivery.ContentType);
        Assert.True(Verifies(secret, delivery), "The signature does not verify with the subscription's secret.");
        Assert.False(Verifies(otherTenantSecret, delivery));
        Assert.InRange(long.Parse(delivery.Timestamp!), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var data = delivery.Json["data"]!["integrated_account"]!;
        Assert.Equal("active", data.Str("status"));
        Assert.Equal(tenant, data.Str("tenant_id"));
        Assert.DoesNotContain("api_key", delivery.Body);
        // The subscription of another tenant got nothing, and the delivery is recorded.
        await Task.Delay(500);
        Assert.Empty(receiver.At("other-tenant"));
        var subscription = await Json.ReadAsync(await host.Api.GetAsync($"webhooks/{id}"));
        Assert.NotNull(subscription["last_delivery_at"]);
        Assert.Null(subscription["last_failure"]);
    }

    [Fact]
    public async Task A_revoked_key_seen_by_many_concurrent_calls_raises_one_needs_reauth_and_a_new_key_reactivates()
    {
        var tenant = NewTenant();
        await SubscribeAsync("lifecycle", ["*"], tenant);
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key, tenantId: tenant)).Str("id");
        await receiver.WaitAsync("lifecycle", d => d.Any(r => r.Type == "integrated_account.created"));
        host.Insightly.RevokeKey(key);

        // The unified API and the proxy at once: every call sees Insightly's 401.
        var calls = Enumerable.Range(0, 8).Select(i => host.Api.GetAsync(i % 2 == 0
            ? $"unified/crm/contacts?integrated_account_id={id}"
            : $"proxy/Users/Me?integrated_account_id={id}")).ToList();
        foreach (var response in await Task.WhenAll(calls))
        {
            // The body says which step answered otherwise, should this ever fail.
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized,
                $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await receiver.WaitAsync("lifecycle", d => d.Any(r => r.Type == "integrated_account.needs_reauth"));
        await Task.Delay(1500);
        var needsReauth = receiver.At("lifecycle").Where(r => r.Type == "integrated_account.needs_reauth").ToList();
        Assert.True(needsReauth.DistinctBy(r => r.EventId).Count() == 1,
            string.Join("; ", receiver.At("lifecycle").Select(r => $"{r.Type} {r.EventId}")));
        Assert.Equal("needs_reauth", needsReauth[0].Json["data"]!["integrated_account"].Str("status"));

        var newKey = host.Insightly.AddUser(instance, "Grace", "Hopper", "grace@example.com");
        using (var rekeyed = await host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { api_key = newKey }))
        {
            Assert.Equal(HttpStatusCode.OK, rekeyed.StatusCode);
        }

        var events = await receiver.WaitAsync("lifecycle", d => d.Any(r => r.Type == "integrated_account.reactivated"));
        var reactivated = events.Single(r => r.Type == "integrated_account.reactivated");
        Assert.Equal("active", reactivated.Json["data"]!["integrated_account"].Str("status"));
        Assert.Contains(events, r => r.Type == "integrated_account.updated");
        Assert.Equal(["integrated_account.created", "integrated_account.needs_reauth"],
            events.Where(r => r.Type is not ("integrated_account.reactivated" or "integrated_account.updated")).Select(r => r.Type).Distinct());
    }

    [Fact]
    public async Task Label_tenant_and_delete_raise_updated_and_deleted_and_the_check_raises_validation_error()
    {
        var tenant = NewTenant();
        await SubscribeAsync("changes", ["integrated_account.updated", "integrated_account.deleted", "integrated_account.validation_error"], tenant);
        var (_, key) = host.NewInstance();
        var id = (await host.LinkAsync(key, tenantId: tenant)).Str("id");

        await host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { label = "Renamed" });
        await receiver.WaitAsync("changes", d => d.Any(r => r.Type == "integrated_account.updated"));
        // Three transient failures in a row turn the account to validation_error.
        host.Insightly.AddFault(new FakeInsightly.ScriptedFault(key, "Users/Me", 503, 15));
        for (var i = 0; i < 3; i++)
        {
            await host.Api.PostAsync($"integrated-accounts/{id}/validate", null);
        }

        await receiver.WaitAsync("changes", d => d.Any(r => r.Type == "integrated_account.validation_error"));
        await host.Api.DeleteAsync($"integrated-accounts/{id}");
        var events = await receiver.WaitAsync("changes", d => d.Any(r => r.Type == "integrated_account.deleted"));

        Assert.Equal(["integrated_account.updated", "integrated_account.validation_error", "integrated_account.deleted"],
            events.DistinctBy(r => r.EventId).Select(r => r.Type));
        Assert.Equal("Renamed", events[0].Json["data"]!["integrated_account"].Str("label"));
        Assert.All(events, r => Assert.Equal(id, r.AccountId));
    }

    [Fact]
    public async Task A_tenant_change_tells_the_new_tenant_everything_and_the_former_one_only_that_the_account_left()
    {
        var (former, moved) = (NewTenant(), NewTenant());
        await SubscribeAsync("former", ["integrated_account.updated"], former);
        await SubscribeAsync("moved", ["integrated_account.updated"], moved);
        var (everyone, _) = await SubscribeAsync("everyone", ["integrated_account.updated"], tenant: null);
        var id = (await host.LinkAsync(host.NewInstance().Key, tenantId: former)).Str("id");

        (await host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { tenant_id = moved, label = "Moved Ltd" })).EnsureSuccessStatusCode();

        var toNew = (await receiver.WaitAsync("moved", d => d.Any(r => r.AccountId == id))).Single(r => r.AccountId == id);
        var toFormer = (await receiver.WaitAsync("former", d => d.Any(r => r.AccountId == id))).Single(r => r.AccountId == id);
        Assert.Equal((moved, "Moved Ltd"), (toNew.Json["data"]!["integrated_account"].Str("tenant_id"), toNew.Json["data"]!["integrated_account"].Str("label")));
        Assert.DoesNotContain(moved, toFormer.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Moved Ltd", toFormer.Body, StringComparison.Ordinal);
        Assert.Equal("integrated_account.updated", toFormer.Type);
        // A subscription of every tenant gets the full event once, not the former tenant's copy as well.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var toEveryone = receiver.At("everyone").Where(r => r.AccountId == id && r.Type == "integrated_account.updated").ToList();
        Assert.Equal(toNew.EventId, Assert.Single(toEveryone).EventId);
        // It would receive the events of the other tests of this class, at a receiver that is gone by then.
        (await host.Api.DeleteAsync($"webhooks/{everyone}")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Every_event_reaches_a_receiver_that_was_down_for_a_while()
    {
        var tenant = NewTenant();
        var (id, _) = await SubscribeAsync("flaky", ["*"], tenant);
        await receiver.StopAsync();

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await host.LinkAsync(host.NewInstance().Key, tenantId: tenant)).Str("id"));
        }

        await host.Api.PatchAsJsonAsync($"integrated-accounts/{ids[0]}", new { label = "While down" });
        // Down until every one of the 4 events has failed twice (connection refused), then up again.
        await WaitForAsync(() => Task.FromResult<object?>(
            host.LogLines.Count(line => line.Contains(id, StringComparison.Ordinal) && line.Contains("failed on attempt 2", StringComparison.Ordinal)) >= 4 ? true : null));
        await receiver.StartAgainAsync();

        var received = await receiver.WaitAsync("flaky",
            d => d.Select(r => r.EventId).Distinct().Count() >= 4, TimeSpan.FromSeconds(30), "the 4 events raised while the receiver was down");
        Assert.Equal(ids.Order(), received.Where(r => r.Type == "integrated_account.created").Select(r => r.AccountId!).Distinct().Order());
        Assert.Contains(received, r => r.Type == "integrated_account.updated" && r.AccountId == ids[0]);
    }

    [Fact]
    public async Task A_receiver_that_always_fails_gets_every_attempt_then_the_event_is_poisoned_and_recorded()
    {
        receiver.Answer("broken", 500);
        var (id, _) = await SubscribeAsync("broken", ["*"], NewTenant());

        var test = await Json.ReadAsync(await host.Api.PostAsync($"webhooks/{id}/test", null));
        var eventId = test.Str("event_id");

        var attempts = await receiver.WaitAsync("broken", d => d.Count >= 8, TimeSpan.FromSeconds(60), "8 attempts");
        Assert.All(attempts, a => Assert.Equal(eventId, a.EventId));
        var subscription = await WaitForAsync(async () =>
        {
            var current = await Json.ReadAsync(await host.Api.GetAsync($"webhooks/{id}"));
            return current["last_failure"] is not null ? current : null;
        });
        Assert.Equal(500, subscription["last_failure"]!["status"]!.GetValue<int>());
        Assert.Contains(eventId, subscription["last_failure"].Str("message"));
        Assert.True(subscription["enabled"]!.GetValue<bool>());

        var poison = new QueueServiceClient(host.Storage, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 })
            .GetQueueClient(host.DeliveriesQueue + "-poison");
        var peeked = await WaitForAsync(async () =>
        {
            // The poison queue is created when its first message is moved there, which may be after last_failure.
            if (!(await poison.ExistsAsync()).Value)
            {
                return null;
            }

            var messages = (await poison.PeekMessagesAsync(32)).Value;
            return messages.FirstOrDefault(m => m.Body.ToString().Contains(eventId, StringComparison.Ordinal));
        });
        Assert.Contains(id, peeked.Body.ToString());
        // Once poisoned, nothing more is sent. (Delivery is at least once: a queue message processed twice under
        // load may repeat an attempt, so the count is not pinned to exactly the configured 8.)
        var sent = receiver.At("broken").Count;
        await Task.Delay(1000);
        Assert.Equal(sent, receiver.At("broken").Count);
    }

    [Fact]
    public async Task A_410_disables_the_subscription_and_nothing_more_is_sent()
    {
        receiver.Answer("gone", 410);
        var tenant = NewTenant();
        var (id, _) = await SubscribeAsync("gone", ["*"], tenant);

        await host.LinkAsync(host.NewInstance().Key, tenantId: tenant);
        await receiver.WaitAsync("gone", d => d.Count >= 1);
        var subscription = await WaitForAsync(async () =>
        {
            var current = await Json.ReadAsync(await host.Api.GetAsync($"webhooks/{id}"));
            return current["enabled"]!.GetValue<bool>() ? null : current;
        });
        Assert.Equal(410, subscription["last_failure"]!["status"]!.GetValue<int>());

        await host.LinkAsync(host.NewInstance().Key, tenantId: tenant);
        await Task.Delay(2000);
        Assert.Single(receiver.At("gone"));
    }

    [Fact]
    public async Task A_rotated_secret_signs_the_next_delivery_and_the_old_one_no_longer_does()
    {
        var (id, oldSecret) = await SubscribeAsync("rotated", ["*"], NewTenant());

        var rotated = await Json.ReadAsync(await host.Api.PostAsync($"webhooks/{id}/rotate-secret", null));
        var newSecret = rotated.Str("secret");
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(id, rotated.Str("id"));
        using (var test = await host.Api.PostAsync($"webhooks/{id}/test", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        }

        var delivery = (await receiver.WaitAsync("rotated", d => d.Count >= 1)).Single();
        Assert.Equal("webhook.test", delivery.Type);
        Assert.Equal(id, delivery.Json["data"]!["webhook"].Str("id"));
        Assert.True(Verifies(newSecret, delivery));
        Assert.False(Verifies(oldSecret, delivery));
    }

    [Fact]
    public async Task The_secret_is_in_the_creation_and_rotation_answers_only_never_in_a_log_line_or_another_response()
    {
        var (id, secret) = await SubscribeAsync("quiet", ["*"], NewTenant());
        var rotatedSecret = (await Json.ReadAsync(await host.Api.PostAsync($"webhooks/{id}/rotate-secret", null))).Str("secret");
        await host.Api.PostAsync($"webhooks/{id}/test", null);
        await receiver.WaitAsync("quiet", d => d.Count >= 1);

        var answers = new List<string>
        {
            await host.Api.GetStringAsync($"webhooks/{id}"),
            await host.Api.GetStringAsync("webhooks?limit=500"),
            await (await host.Api.PatchAsJsonAsync($"webhooks/{id}", new { description = "Quiet" })).Content.ReadAsStringAsync(),
            await (await host.Api.PostAsync($"webhooks/{id}/test", null)).Content.ReadAsStringAsync(),
            await (await host.Api.DeleteAsync($"webhooks/{id}")).Content.ReadAsStringAsync(),
        };
        foreach (var value in new[] { secret, rotatedSecret })
        {
            Assert.All(answers, answer => Assert.DoesNotContain(value, answer));
            Assert.DoesNotContain(host.LogLines, line => line.Contains(value, StringComparison.Ordinal));
            Assert.DoesNotContain(receiver.Received, r => r.Body.Contains(value) || r.Headers.Values.Any(h => h.Contains(value)));
        }
    }

    [Fact]
    public async Task Subscriptions_are_created_listed_changed_and_deleted_and_bad_ones_are_refused()
    {
        var tenant = NewTenant();
        using (var created = await host.Api.PostAsJsonAsync("webhooks", new
        {
            url = receiver.Url("crud"), events = new[] { "integrated_account.needs_reauth", "integrated_account.reactivated" },
            tenant_id = tenant, description = "Ops channel",
        }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var body = await Json.ReadAsync(created);
            Assert.Matches("^whsec_[A-Za-z0-9_-]{43}$", body.Str("secret"));
            Assert.Matches("^wh-[a-z2-7]{24}$", body.Str("id"));
            Assert.True(body["enabled"]!.GetValue<bool>());
            Assert.Null(body["last_delivery_at"]);
            Assert.Null(body["last_failure"]);
        }

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await SubscribeAsync("crud", ["*"], tenant)).Id);
        }

        var first = await Json.ReadAsync(await host.Api.GetAsync("webhooks?limit=2"));
        Assert.Equal(2, first["result_count"]!.GetValue<int>());
        var listed = first["result"]!.AsArray().Select(s => s.Str("id")).ToList();
        var cursor = first.Str("next_cursor");
        while (cursor is not null)
        {
            var page = await Json.ReadAsync(await host.Api.GetAsync($"webhooks?limit=2&next_cursor={Uri.EscapeDataString(cursor)}"));
            listed.AddRange(page["result"]!.AsArray().Select(s => s.Str("id")));
            cursor = page["next_cursor"]?.GetValue<string>();
        }

        Assert.Superset(ids.ToHashSet(), listed.ToHashSet());
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync("webhooks?next_cursor=forged")), 400, "invalid_cursor");

        var patched = await Json.ReadAsync(await host.Api.PatchAsJsonAsync($"webhooks/{ids[0]}", new { enabled = false, description = (string?)null, events = new[] { "*" } }));
        Assert.False(patched["enabled"]!.GetValue<bool>());
        Assert.Null(patched["description"]);
        Assert.Equal(["*"], patched["events"]!.AsArray().Select(e => e!.GetValue<string>()));

        Assert.Equal(ids[1], (await Json.ReadAsync(await host.Api.DeleteAsync($"webhooks/{ids[1]}"))).Str("id"));
        Json.AssertError(await Json.ReadAsync(await host.Api.GetAsync($"webhooks/{ids[1]}")), 404, "not_found");
        Json.AssertError(await Json.ReadAsync(await host.Api.PostAsync($"webhooks/{ids[1]}/test", null)), 404, "not_found");
        Json.AssertError(await Json.ReadAsync(await host.Api.PostAsync("webhooks/wh-nope/rotate-secret", null)), 404, "not_found");

        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { url = "http://example.com/hook", events = new[] { "*" } }, "url"),
            (new { url = "ftp://127.0.0.1/hook", events = new[] { "*" } }, "url"),
            (new { url = "https://user:pw@example.com/hook", events = new[] { "*" } }, "url"),
            (new { url = "https://example.com/hook", events = new[] { "integrated_account.exploded" } }, "events"),
            (new { url = "https://example.com/hook", events = Array.Empty<string>() }, "events"),
            (new { url = "https://example.com/hook", events = new[] { "*", "webhook.test" } }, "events"),
            (new { url = "https://example.com/hook" }, "events"),
            (new { events = new[] { "*" } }, "url"),
        })
        {
            var error = await Json.ReadAsync(await host.Api.PostAsJsonAsync("webhooks", body));
            Json.AssertError(error, 400, "invalid_body");
            Assert.Contains(field, error["details"]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
        }

        using var wrongVerb = await host.Api.PutAsJsonAsync($"webhooks/{ids[0]}", new { });
        Json.AssertError(await Json.ReadAsync(wrongVerb), 405, "method_not_allowed");
        Assert.Equal(["DELETE", "GET", "PATCH"], wrongVerb.Content.Headers.Allow.Order());
    }

    [Fact]
    public async Task An_event_still_waiting_on_the_account_row_is_sent_by_the_next_credential_check()
    {
        var tenant = NewTenant();
        await SubscribeAsync("repair", ["*"], tenant);
        var id = (await host.LinkAsync(host.NewInstance().Key, tenantId: tenant)).Str("id");
        await receiver.WaitAsync("repair", d => d.Count >= 1);
        // As if the process had stopped between writing the row and queueing its event.
        var accounts = host.GetService<AccountRepository>();
        var eventId = WebhookIds.NewEventId();
        var stranded = AccountEvents.Body(eventId, WebhookEventTypes.Updated, DateTimeOffset.UtcNow.AddHours(-1), (await accounts.FindAsync(id, default))!);
        await accounts.UpdateAsync(id, current => current with
        {
            PendingEvents = [new QueuedEvent(eventId, WebhookEventTypes.Updated, DateTimeOffset.UtcNow.AddHours(-1), [tenant], stranded)],
        }, default);

        await host.GetService<CredentialCheckRun>().RunAsync(default);

        var delivery = (await receiver.WaitAsync("repair", d => d.Any(r => r.EventId == eventId))).First(r => r.EventId == eventId);
        Assert.Equal(stranded, delivery.Body);
        Assert.Empty((await accounts.FindAsync(id, default))!.PendingEvents);
        Assert.Equal(eventId, (await accounts.FindAsync(id, default))!.LastEventId);
    }

    [Fact]
    public async Task A_message_its_function_keeps_failing_on_goes_to_the_poison_queue_after_maxDequeueCount_as_in_Azure()
    {
        var queues = new QueueServiceClient(host.Storage, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var marker = Guid.NewGuid().ToString("N");
        await queues.GetQueueClient(host.EventsQueue).SendMessageAsync("{ not an event " + marker);

        var poisoned = await WaitForAsync(async () =>
        {
            var poison = queues.GetQueueClient(host.EventsQueue + "-poison");
            if (!(await poison.ExistsAsync()).Value)
            {
                return null;
            }

            return (await poison.PeekMessagesAsync(32)).Value.FirstOrDefault(m => m.Body.ToString().Contains(marker, StringComparison.Ordinal));
        });

        Assert.Equal("{ not an event " + marker, poisoned.Body.ToString());
        // host.json's maxDequeueCount: 5 tries, each logged, then the move.
        Assert.Contains(host.LogLines, line => line.Contains("failed 5 times and was moved to " + host.EventsQueue + "-poison", StringComparison.Ordinal));
    }

    private static string NewTenant() => "t-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<(string Id, string Secret)> SubscribeAsync(string path, string[] events, string? tenant)
    {
        using var response = await host.Api.PostAsJsonAsync("webhooks", new { url = receiver.Url(path), events, tenant_id = tenant });
        var body = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (body.Str("id"), body.Str("secret"));
    }

    /// <summary>What the README's receiver does, written independently of the app's own signing code.</summary>
    private static bool Verifies(string secret, ReceivedDelivery delivery)
    {
        var signed = Encoding.UTF8.GetBytes($"{delivery.EventId}.{delivery.Timestamp}.{delivery.Body}");
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(delivery.Signature ?? ""));
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(100);
        }
    }
}
