using Azure;
using Azure.Security.KeyVault.Secrets;
using Insightly.Unified.Secrets;
using Moq;

namespace Insightly.Unified.UnitTests;

public sealed class KeyVaultSecretStoreTests
{
    private readonly Mock<SecretClient> client = new(MockBehavior.Strict);

    [Fact]
    public async Task Stores_the_key_with_content_type_and_tags()
    {
        KeyVaultSecret? stored = null;
        client.Setup(c => c.SetSecretAsync(It.IsAny<KeyVaultSecret>(), It.IsAny<CancellationToken>()))
            .Callback<KeyVaultSecret, CancellationToken>((secret, _) => stored = secret)
            .ReturnsAsync(Response.FromValue(SecretModelFactory.KeyVaultSecret(SecretModelFactory.SecretProperties(name: "n"), "v"), Mock.Of<Response>()));

        await new KeyVaultSecretStore(client.Object).SetAsync(
            "insightly-api-key-x", "the-key", new Dictionary<string, string> { ["pod"] = "na1" }, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal("insightly-api-key-x", stored.Name);
        Assert.Equal("the-key", stored.Value);
        Assert.Equal(SecretNaming.ContentType, stored.Properties.ContentType);
        Assert.Equal("na1", stored.Properties.Tags["pod"]);
    }

    [Fact]
    public async Task Reads_the_current_secret_value()
    {
        var secret = SecretModelFactory.KeyVaultSecret(SecretModelFactory.SecretProperties(name: "insightly-api-key-x", version: "v7"), "the-key");
        client.Setup(c => c.GetSecretAsync("insightly-api-key-x", null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(secret, Mock.Of<Response>()));

        var stored = await new KeyVaultSecretStore(client.Object).GetAsync("insightly-api-key-x", CancellationToken.None);
        Assert.Equal(("the-key", "v7"), (stored?.Value, stored?.Version));
    }

    [Fact]
    public async Task A_missing_secret_reads_as_null()
    {
        client.Setup(c => c.GetSecretAsync("insightly-api-key-x", null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));

        Assert.Null(await new KeyVaultSecretStore(client.Object).GetAsync("insightly-api-key-x", CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_a_secret_that_is_already_gone_succeeds()
    {
        client.Setup(c => c.StartDeleteSecretAsync("insightly-api-key-x", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));

        await new KeyVaultSecretStore(client.Object).DeleteAsync("insightly-api-key-x", CancellationToken.None);
        client.VerifyAll();
    }

    [Fact]
    public async Task Other_vault_failures_propagate()
    {
        client.Setup(c => c.GetSecretAsync("insightly-api-key-x", null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(403, "Forbidden"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => new KeyVaultSecretStore(client.Object).GetAsync("insightly-api-key-x", CancellationToken.None));
        Assert.Equal(403, error.Status);
    }
}
