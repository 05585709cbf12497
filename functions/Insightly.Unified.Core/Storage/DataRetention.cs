using Insightly.Unified.Link;
using Insightly.Unified.Unified.Idempotency;
using Microsoft.Extensions.Logging;

namespace Insightly.Unified.Storage;

/// <summary>
/// Removes what the app keeps only for a while: <c>Idempotency-Key</c> rows (which hold whole CRM answers) once their
/// 24 hours are over or their account is unlinked, and link-token rows once the token's lifetime is over — used or
/// not, since an expired token is refused from its signed expiry without its row being read. The credential
/// check's timer runs <see cref="SweepAsync"/>; unlinking runs <see cref="ForgetAccountAsync"/>. A failure is
/// logged and left for the next run, never passed on.
/// </summary>
public sealed class DataRetention(IdempotencyStore idempotency, LinkTokens linkTokens, ILogger<DataRetention> logger)
{
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        await RemoveAsync("expired Idempotency-Key rows", () => idempotency.DeleteExpiredAsync(cancellationToken), cancellationToken);
        await RemoveAsync("expired link tokens", () => linkTokens.DeleteExpiredAsync(cancellationToken), cancellationToken);
    }

    /// <summary>An unlinked account's <c>Idempotency-Key</c> rows; what is left when this fails expires and goes with the sweep.</summary>
    public Task ForgetAccountAsync(string accountId) =>
        RemoveAsync($"Idempotency-Key rows of unlinked account {accountId}", () => idempotency.ForgetAccountAsync(accountId, CancellationToken.None), CancellationToken.None);

    private async Task RemoveAsync(string what, Func<Task<int>> remove, CancellationToken cancellationToken)
    {
        try
        {
            var removed = await remove();
            logger.LogInformation("Removed {Count} {What}", removed, what);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not remove {What}; the next run tries again: {ErrorType} {ErrorMessage}", what, exception.GetType().Name, exception.Message);
        }
    }
}
