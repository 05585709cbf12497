using Insightly.Unified.Configuration;
using Insightly.Unified.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>
/// The repair path for a link that died between its two writes. Linking stores the key first and the account
/// row second (so a row never points at a missing key); a process that crashes in between leaves a key with no
/// account. Nothing ever uses it (account ids are never reused), but it should not stay: after each credential
/// check, keys older than <see cref="CredentialCheckOptions.OrphanSecretAge"/> whose account does not exist are
/// deleted. The age leaves links still in progress alone.
/// </summary>
public sealed class OrphanSecretSweep(
    AccountRepository accounts,
    ISecretStore secrets,
    IOptions<CredentialCheckOptions> options,
    TimeProvider time,
    ILogger<OrphanSecretSweep> logger)
{
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var removed = 0;
        var cutoff = time.GetUtcNow() - options.Value.OrphanSecretAge;
        await foreach (var secret in secrets.ListAsync(SecretNaming.Prefix, cancellationToken))
        {
            var accountId = secret.Name[SecretNaming.Prefix.Length..];
            if (secret.WrittenAt <= cutoff && await accounts.FindAsync(accountId, cancellationToken) is null)
            {
                await secrets.DeleteAsync(secret.Name, cancellationToken);
                removed++;
                logger.LogWarning("Deleted the key of account {AccountId}, which no account row refers to (a link that did not finish)", accountId);
            }
        }

        return removed;
    }
}
