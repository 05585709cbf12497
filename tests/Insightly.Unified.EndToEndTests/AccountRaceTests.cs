using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using FakeInsightly;
using Insightly.Unified.Insightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;

namespace Insightly.Unified.EndToEndTests;

/// <summary>
/// Parallel requests on one account: the row always describes the key the secret store holds now, and
/// nothing that concerns an older key (a slow check, a late 401) changes it.
/// </summary>
public sealed class AccountRaceTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    private ISecretStore Secrets => host.GetService<ISecretStore>();

    private AccountRepository Accounts => host.GetService<AccountRepository>();

    [Fact]
    public async Task Two_concurrent_rotations_leave_the_row_describing_the_key_that_won()
    {
        for (var round = 0; round < 4; round++)
        {
            var (instance, key) = host.NewInstance();
            var id = (await host.LinkAsync(key)).Str("id");
            var grace = host.Insightly.AddUser(instance, "Grace", "Hopper", "grace@example.com");
            var alan = host.Insightly.AddUser(instance, "Alan", "Turing", "alan@example.com");

            var rotations = await Task.WhenAll(
                host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { api_key = grace }),
                host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { api_key = alan }));

            Assert.All(rotations, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            var stored = await Secrets.GetAsync(SecretNaming.ForAccount(id), default);
            var row = (await Accounts.FindAsync(id, default))!;
            Assert.Equal(stored!.Version, row.SecretVersion);
            Assert.Equal(stored.Value == grace ? "grace@example.com" : "alan@example.com", row.User!.Email);
        }
    }

    [Fact]
    public async Task A_rotation_that_stored_its_key_first_but_writes_the_row_last_does_not_overwrite_the_later_one()
    {
        var (instance, key) = host.NewInstance();
        var id = (await host.LinkAsync(key)).Str("id");
        var slow = host.Insightly.AddUser(instance, "Grace", "Hopper", "grace@example.com");
        var fast = host.Insightly.AddUser(instance, "Alan", "Turing", "alan@example.com");
        // The slow rotation stores its key, then stalls until the fast one has stored its key and written the row.
        var fastFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pausing = new PausingSecretStore(Secrets, value => value == slow ? fastFinished.Task : Task.CompletedTask);
        var service = (AccountService)ActivatorUtilities.CreateInstance(host.Services, typeof(AccountService), pausing);

        var slowRotation = service.UpdateAsync(id, new JsonObject { ["api_key"] = slow }, default);
        await pausing.Stored.Task;
        await service.UpdateAsync(id, new JsonObject { ["api_key"] = fast }, default);
        fastFinished.SetResult();
        await slowRotation;

        var row = (await Accounts.FindAsync(id, default))!;
        var stored = (await Secrets.GetAsync(SecretNaming.ForAccount(id), default))!;
        Assert.Equal((fast, stored.Version), (stored.Value, row.SecretVersion));
        Assert.Equal("alan@example.com", row.User!.Email);
    }

    [Fact]
    public async Task A_check_that_started_with_the_old_key_does_not_overwrite_the_rotated_identity()
    {
        var (instance, oldKey) = host.NewInstance();
        var id = (await host.LinkAsync(oldKey)).Str("id");
        // The check's call with the old key is slow and comes back with nobody's identity in it.
        host.Insightly.AddFault(new ScriptedFault(oldKey, "Users/Me", 200, 1, Delay: TimeSpan.FromSeconds(1.5)));
        var newKey = host.Insightly.AddUser(instance, "Grace", "Hopper", "grace@example.com");

        var check = host.Api.PostAsync($"integrated-accounts/{id}/validate", null);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        using var rotation = await host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { api_key = newKey });
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        using var checkResponse = await check;

        var row = (await Accounts.FindAsync(id, default))!;
        Assert.Equal(("active", "grace@example.com"), (row.Status, row.User?.Email));
        Assert.Equal((await Secrets.GetAsync(SecretNaming.ForAccount(id), default))!.Version, row.SecretVersion);
    }

    [Fact]
    public async Task A_401_about_an_older_key_changes_nothing()
    {
        var (instance, oldKey) = host.NewInstance();
        var linked = await Accounts.FindAsync((await host.LinkAsync(oldKey)).Str("id"), default);
        var newKey = host.Insightly.AddUser(instance, "Grace", "Hopper", "grace@example.com");
        await host.Api.PatchAsJsonAsync($"integrated-accounts/{linked!.Id}", new { api_key = newKey });

        await host.GetService<AccountConnector>().MarkNeedsReauthAsync(linked.Id, 401, "Insightly rejected the API key (401).", linked.SecretVersion);

        var row = (await Accounts.FindAsync(linked.Id, default))!;
        Assert.Equal("active", row.Status);
        Assert.Null(row.LastError);
    }

    [Fact]
    public async Task A_rotation_racing_a_delete_ends_in_404_and_leaves_no_key_behind()
    {
        for (var round = 0; round < 8; round++)
        {
            var (instance, key) = host.NewInstance();
            var id = (await host.LinkAsync(key)).Str("id");
            var newKey = host.Insightly.AddUser(instance, "Grace", "Hopper", "grace@example.com");

            var patch = host.Api.PatchAsJsonAsync($"integrated-accounts/{id}", new { api_key = newKey, label = "renamed" });
            var delete = host.Api.DeleteAsync($"integrated-accounts/{id}");
            await Task.WhenAll(patch, delete);

            Assert.Contains((await patch).StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound });
            Assert.Equal(HttpStatusCode.OK, (await delete).StatusCode);
            Assert.Null(await Accounts.FindAsync(id, default));
            Assert.Null(await Secrets.GetAsync(SecretNaming.ForAccount(id), default));
        }
    }

    /// <summary>The real store, but a write can be held after it is stored, before the caller goes on.</summary>
    private sealed class PausingSecretStore(ISecretStore inner, Func<string, Task> pauseAfterStoring) : ISecretStore
    {
        public TaskCompletionSource Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<string> SetAsync(string name, string value, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
        {
            var version = await inner.SetAsync(name, value, tags, cancellationToken);
            var pause = pauseAfterStoring(value);
            if (!pause.IsCompleted)
            {
                Stored.TrySetResult();
            }

            await pause;
            return version;
        }

        public Task<StoredSecret?> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

        public Task<string> GetOrCreateAsync(string name, Func<string> create, CancellationToken cancellationToken) =>
            inner.GetOrCreateAsync(name, create, cancellationToken);

        public Task DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);

        public IAsyncEnumerable<SecretListing> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

        public Task CheckReachableAsync(CancellationToken cancellationToken) => inner.CheckReachableAsync(cancellationToken);
    }
}
