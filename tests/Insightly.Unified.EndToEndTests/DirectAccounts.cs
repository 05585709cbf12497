using FakeInsightly;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;

namespace Insightly.Unified.EndToEndTests;

/// <summary>Accounts written straight to storage and the secret store, as linking would leave them, without calling Insightly.</summary>
internal static class DirectAccounts
{
    /// <param name="shape">Changes to the row before it is written, e.g. a status or earlier failures.</param>
    public static async Task<string> InsertAsync(
        this ApiHostFixture host, FakeInstance instance, string key,
        Func<IntegratedAccount, IntegratedAccount>? shape = null, CancellationToken cancellationToken = default)
    {
        var id = AccountIds.New();
        var version = await host.GetService<ISecretStore>().SetAsync(SecretNaming.ForAccount(id), key, SecretNaming.Tags(id, instance.Pod), cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var account = new IntegratedAccount
        {
            Id = id,
            TenantId = "direct",
            Pod = instance.Pod,
            Status = AccountStatus.Active,
            Instance = new InstanceInfo(instance.Name, instance.Subdomain, instance.Plan),
            CreatedAt = now,
            UpdatedAt = now,
            SecretVersion = version,
        };
        await host.GetService<AccountRepository>().InsertAsync(shape?.Invoke(account) ?? account, cancellationToken);
        return id;
    }
}
