using Insightly.Unified.IntegratedAccounts;

namespace Insightly.Unified.Secrets;

/// <summary>Names and tags of the secret that holds one account's Insightly API key.</summary>
public static class SecretNaming
{
    public const string ContentType = "application/vnd.insightly.api-key";

    /// <summary>What every API key's secret name starts with.</summary>
    public const string Prefix = "insightly-api-key-";

    /// <summary>
    /// Key Vault names allow only letters, digits and dashes (1–127); account ids are generated to fit,
    /// and anything else is refused so a crafted id can never address another secret.
    /// </summary>
    public static string ForAccount(string accountId)
    {
        if (!AccountIds.IsWellFormed(accountId))
        {
            throw new ArgumentException($"'{accountId}' is not a well-formed integrated account id.", nameof(accountId));
        }

        return Prefix + accountId;
    }

    public static IReadOnlyDictionary<string, string> Tags(string accountId, string pod) => new Dictionary<string, string>
    {
        ["integrated_account_id"] = accountId,
        ["pod"] = pod,
        ["purpose"] = "insightly-api-key",
    };
}
