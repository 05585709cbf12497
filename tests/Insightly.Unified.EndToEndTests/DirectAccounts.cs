using FakeInsightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;

namespace Insightly.Unified.EndToEndTests;

/// <summary>Accounts written straight to storage and the secret store, as linking would leave them, without calling Insightly.</summary>
internal static class DirectAccounts
{
    public static async Task<string> InsertAsync(this ApiHostFixture host, FakeInstance instance, string key, CancellationToken cancellationToken = default)
    {
        var id = AccountIds.New();
        var version = await host.GetService<ISecretStore>().SetAsync(SecretNaming.ForAccount(id), key, SecretNaming.Tags(id, instance.Pod), cancellationToken);
        var now = DateTimeOffset.UtcNow;
        await host.GetService<AccountRepository>().InsertAsync(new IntegratedAccount
        {
            Id = id,
            TenantId = "direct",
            Pod = instance.Pod,
            Status = AccountStatus.Active,
            Instance = new InstanceInfo(instance.Name, instance.Subdomain, instance.Plan),
            CreatedAt = now,
            UpdatedAt = now,
            SecretVersion = version,
        }, cancellationToken);
        return id;
    }
}
