using System.Text.RegularExpressions;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;

namespace Insightly.Unified.UnitTests;

public sealed class SecretNamingTests
{
    [Fact]
    public void Secret_names_for_generated_ids_are_valid_Key_Vault_names()
    {
        for (var i = 0; i < 200; i++)
        {
            var name = SecretNaming.ForAccount(AccountIds.New());
            Assert.Matches(new Regex("^[0-9a-zA-Z-]{1,127}$"), name);
        }
    }

    [Fact]
    public void Generated_account_ids_are_unique_and_url_safe()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => AccountIds.New()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(id, Uri.EscapeDataString(id)));
        Assert.All(ids, id => Assert.True(AccountIds.IsWellFormed(id)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ia-short")]
    [InlineData("../insightly-api-key-other")]
    [InlineData("ia-ABCDEFGHIJKLMNOPQRSTUVWX")]
    [InlineData("ia-aaaaaaaaaaaaaaaaaaaaaaa1")]
    [InlineData("ia-aaaaaaaaaaaaaaaaaaaaaaaa\n")]
    [InlineData("ia-aaaaaaaaaaaaaaaaaaaaaaaa\r\n")]
    public void Refuses_to_name_a_secret_after_a_malformed_id(string accountId) =>
        Assert.Throws<ArgumentException>(() => SecretNaming.ForAccount(accountId));

    [Fact]
    public void Tags_carry_the_account_id_and_pod()
    {
        var tags = SecretNaming.Tags("ia-aaaaaaaaaaaaaaaaaaaaaaaa", "eu1");
        Assert.Equal("ia-aaaaaaaaaaaaaaaaaaaaaaaa", tags["integrated_account_id"]);
        Assert.Equal("eu1", tags["pod"]);
    }
}
