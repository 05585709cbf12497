using Insightly.Unified.Errors;
using Insightly.Unified.Secrets;

namespace Insightly.Unified.EndToEndTests;

/// <summary>The production Key Vault store with the real <c>SecretClient</c>, over HTTPS, against a stand-in vault.</summary>
public sealed class KeyVaultSecretStoreTests : IAsyncLifetime
{
    private KeyVaultStandIn vault = null!;
    private readonly StandInCredential credential = new();

    public async Task InitializeAsync() => vault = await KeyVaultStandIn.StartAsync();

    public async Task DisposeAsync() => await vault.DisposeAsync();

    [Fact]
    public async Task Writes_make_versions_and_reads_return_the_latest_after_the_bearer_challenge()
    {
        var store = Store();

        var first = await store.SetAsync("insightly-api-key-a", "key-1", SecretNaming.Tags("ia-aaaaaaaaaaaaaaaaaaaaaaaa", "na1"), default);
        var second = await store.SetAsync("insightly-api-key-a", "key-2", new Dictionary<string, string>(), default);
        var read = await store.GetAsync("insightly-api-key-a", default);

        Assert.NotEqual(first, second);
        Assert.Equal(("key-2", second), (read!.Value, read.Version));
        Assert.Equal("PUT /secrets/insightly-api-key-a (no token)", vault.Requests[0]);
        Assert.Equal("PUT /secrets/insightly-api-key-a", vault.Requests[1]);
        Assert.Contains("https://vault.azure.net/.default", credential.Scopes);
    }

    [Fact]
    public async Task A_missing_secret_reads_as_null() =>
        Assert.Null(await Store().GetAsync("insightly-api-key-missing", default));

    [Fact]
    public async Task A_deleted_name_reads_as_missing_and_is_never_written_again()
    {
        var store = Store();
        await store.SetAsync("insightly-api-key-b", "key", new Dictionary<string, string>(), default);

        await store.DeleteAsync("insightly-api-key-b", default);
        await store.DeleteAsync("insightly-api-key-b", default);

        Assert.Null(await store.GetAsync("insightly-api-key-b", default));
        await Assert.ThrowsAsync<SecretDeletedException>(() => store.SetAsync("insightly-api-key-b", "again", new Dictionary<string, string>(), default));
    }

    [Fact]
    public async Task Instances_creating_a_signing_key_at_once_all_settle_on_the_same_value()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => Store()).ToList();

        var values = await Task.WhenAll(stores.Select((store, i) => store.GetOrCreateAsync("signing-key-cursors", () => $"candidate-{i}", default)));

        Assert.Single(values.Distinct());
        Assert.Equal(values[0], await Store().GetOrCreateAsync("signing-key-cursors", () => "latecomer", default));
    }

    [Fact]
    public async Task Throttling_is_waited_out_as_Retry_After_asks()
    {
        var store = Store();
        await store.SetAsync("insightly-api-key-c", "key", new Dictionary<string, string>(), default);
        vault.ThrottleNext(1);
        var started = TimeProvider.System.GetTimestamp();

        var read = await store.GetAsync("insightly-api-key-c", default);

        Assert.Equal("key", read!.Value);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromSeconds(0.9), "Retry-After: 1 was not honoured");
    }

    [Fact]
    public async Task A_vault_that_keeps_failing_is_reported_as_the_secret_store()
    {
        var store = Store();
        vault.Failing = true;

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => store.GetAsync("insightly-api-key-d", default));

        Assert.Equal(DependencyFailurePolicy.SecretStore, error.Dependency);
    }

    [Fact]
    public async Task A_reachability_check_lists_at_most_one_secret()
    {
        await Store().CheckReachableAsync(default);
        Assert.Contains(vault.Requests, r => r.StartsWith("GET /secrets", StringComparison.Ordinal));
    }

    private KeyVaultSecretStore Store() => KeyVaultSecretStore.Create(vault.VaultUri, credential, vault.ClientOptions());
}
