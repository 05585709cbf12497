using System.Collections.Concurrent;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Secrets;

/// <summary>
/// Resolves an account's API key through a short-lived cache, so a busy account does not read
/// Key Vault on every request and concurrent misses for one account share a single read. While the secret
/// store is unavailable, a key read before keeps working for <see cref="SecretStoreOptions.MaxStaleKeyAge"/>
/// (stale on error, logged); a key never read gives the outage's 503.
/// </summary>
public sealed class ApiKeyResolver(
    ISecretStore store, IOptions<SecretStoreOptions> options, UnifiedMetrics metrics, TimeProvider time, ILogger<ApiKeyResolver> logger)
{
    private readonly ConcurrentDictionary<string, CachedKey> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (StoredSecret Key, DateTimeOffset ReadAt)> lastRead = new(StringComparer.Ordinal);

    /// <summary>The key and its version, or null when the account has no stored key.</summary>
    public async Task<StoredSecret?> GetAsync(string accountId, CancellationToken cancellationToken)
    {
        var secretName = SecretNaming.ForAccount(accountId);
        while (true)
        {
            var now = time.GetUtcNow();
            var hit = cache.TryGetValue(accountId, out var entry);
            // Lazy makes the read itself run once even when GetOrAdd races and builds two entries.
            entry ??= cache.GetOrAdd(accountId, _ => new CachedKey(
                new Lazy<Task<StoredSecret?>>(() => ReadAsync(secretName)),
                now + options.Value.KeyCacheTtl));
            if (entry.ExpiresAt <= now)
            {
                cache.TryRemove(KeyValuePair.Create(accountId, entry));
                continue;
            }

            metrics.CacheLookup(UnifiedMetrics.Caches.ApiKey, hit);

            StoredSecret? key;
            try
            {
                // The shared read is not tied to one caller's cancellation; each caller only stops waiting.
                key = await entry.Read.Value.WaitAsync(cancellationToken);
            }
            catch (DependencyUnavailableException outage) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed read must not stay cached; the next caller tries again.
                cache.TryRemove(KeyValuePair.Create(accountId, entry));
                if (lastRead.TryGetValue(accountId, out var stale) && time.GetUtcNow() - stale.ReadAt <= options.Value.MaxStaleKeyAge)
                {
                    logger.LogWarning("The secret store is unavailable ({Reason}); account {AccountId} uses its key read at {ReadAt}",
                        outage.Message, accountId, stale.ReadAt);
                    return stale.Key;
                }

                throw;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                cache.TryRemove(KeyValuePair.Create(accountId, entry));
                throw;
            }

            if (key is null)
            {
                cache.TryRemove(KeyValuePair.Create(accountId, entry));
                lastRead.TryRemove(accountId, out _);
            }
            else
            {
                lastRead[accountId] = (key, now);
            }

            return key;
        }
    }

    private Task<StoredSecret?> ReadAsync(string secretName)
    {
        metrics.SecretStoreReads.Add(1);
        return store.GetAsync(secretName, CancellationToken.None);
    }

    /// <summary>Forgets the cached key (after a rotation or delete), so the next use re-reads the store and never falls back to it.</summary>
    public void Invalidate(string accountId)
    {
        cache.TryRemove(accountId, out _);
        lastRead.TryRemove(accountId, out _);
    }

    /// <summary>
    /// Forgets the cached key only if it is still the version Insightly rejected. When many requests see the
    /// same 401 at once, the first one's re-read is kept and the rest reuse it instead of reading again.
    /// </summary>
    public void InvalidateRejected(string accountId, string rejectedVersion)
    {
        if (cache.TryGetValue(accountId, out var entry)
            && entry.Read.IsValueCreated
            && entry.Read.Value.IsCompletedSuccessfully
            && entry.Read.Value.Result?.Version == rejectedVersion)
        {
            cache.TryRemove(KeyValuePair.Create(accountId, entry));
        }

        if (lastRead.TryGetValue(accountId, out var last) && last.Key.Version == rejectedVersion)
        {
            lastRead.TryRemove(KeyValuePair.Create(accountId, last));
        }
    }

    private sealed record CachedKey(Lazy<Task<StoredSecret?>> Read, DateTimeOffset ExpiresAt);
}
