using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Secrets;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.Health;

/// <summary>The body of <c>GET /api/health</c>: up or not, and nothing more.</summary>
public sealed record HealthReport(string Status, string Storage, string SecretStore);

/// <summary>Whether the app can reach its storage and its secret store.</summary>
public sealed class HealthService(AccountRepository accounts, ISecretStore secrets, ILogger<HealthService> logger)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var storage = ProbeAsync("storage", accounts.CheckReachableAsync, cancellationToken);
        var secretStore = ProbeAsync("secret store", secrets.CheckReachableAsync, cancellationToken);
        var (storageUp, secretsUp) = (await storage, await secretStore);
        return new HealthReport(storageUp && secretsUp ? "ok" : "degraded", storageUp ? "ok" : "unreachable", secretsUp ? "ok" : "unreachable");
    }

    private async Task<bool> ProbeAsync(string dependency, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await probe(timeout.Token);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The exception type and message only: a connection string must never reach the log.
            logger.LogWarning("Health probe of the {Dependency} failed: {ErrorType} {ErrorMessage}",
                dependency, exception.GetType().Name, exception.Message);
            return false;
        }
    }
}
