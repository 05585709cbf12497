using System.Text.Json.Nodes;
using Insightly.Unified.Errors;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;
using Microsoft.Extensions.DependencyInjection;

namespace Insightly.Unified.EndToEndTests;

/// <summary>The app's services with their keys in a (stand-in) Key Vault that goes down, over real storage.</summary>
public sealed class VaultOutageTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>, IAsyncLifetime
{
    private KeyVaultStandIn vault = null!;

    public async Task InitializeAsync() => vault = await KeyVaultStandIn.StartAsync();

    public async Task DisposeAsync() => await vault.DisposeAsync();

    [Fact]
    public async Task Linking_while_the_vault_is_down_is_503_naming_the_secret_store_and_stores_nothing()
    {
        var store = KeyVaultSecretStore.Create(vault.VaultUri, new StandInCredential(), vault.ClientOptions());
        var service = (AccountService)ActivatorUtilities.CreateInstance(host.Services, typeof(AccountService), (ISecretStore)store);
        var tenant = "vault-down-" + Guid.NewGuid().ToString("N")[..8];
        vault.Failing = true;

        var error = await Assert.ThrowsAsync<DependencyUnavailableException>(() => service.LinkAsync(
            new JsonObject { ["api_key"] = host.NewInstance().Key, ["pod"] = "na1", ["tenant_id"] = tenant }, default));

        Assert.Equal(DependencyFailurePolicy.SecretStore, error.Dependency);
        var listed = await Json.ReadAsync(await host.Api.GetAsync($"integrated-accounts?tenant_id={tenant}"));
        Assert.Empty(listed["result"]!.AsArray());
        vault.Failing = false;
        var left = new List<string>();
        await foreach (var secret in store.ListAsync(SecretNaming.Prefix, default))
        {
            left.Add(secret.Name);
        }

        Assert.Empty(left);
    }
}
