using System.Collections.Concurrent;
using Insightly.Unified.Telemetry;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>
/// Rows of the account table kept for a short time (unknown ids too, so probing them does not reach storage),
/// with concurrent misses for one account sharing a single read. Bounded: past <see cref="MaxEntries"/> the
/// expired entries are swept, and if that is not enough the cache starts over.
/// </summary>
internal sealed class AccountCache(TimeSpan ttl, TimeProvider time, UnifiedMetrics metrics)
{
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private int count;

    public async Task<IntegratedAccount?> GetAsync(
        string accountId, Func<string, Task<IntegratedAccount?>> read, CancellationToken cancellationToken)
    {
        if (ttl <= TimeSpan.Zero)
        {
            metrics.CacheLookup(UnifiedMetrics.Caches.Account, hit: false);
            return await read(accountId).WaitAsync(cancellationToken);
        }

        var now = time.GetUtcNow();
        if (entries.TryGetValue(accountId, out var entry) && entry.ExpiresAt > now)
        {
            // A read still in flight counts as a hit too: this caller shares it and causes none.
            metrics.CacheLookup(UnifiedMetrics.Caches.Account, hit: true);
        }
        else
        {
            metrics.CacheLookup(UnifiedMetrics.Caches.Account, hit: false);
            entry = Add(accountId, read, now);
        }

        try
        {
            // The shared read is not tied to one caller's cancellation; each caller only stops waiting.
            return await entry.Read.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed read must not stay cached; the next caller tries again.
            Remove(accountId, entry);
            throw;
        }
    }

    /// <summary>
    /// Applies a change this instance just wrote to the cached row, keeping its expiry; a row still being read is
    /// forgotten instead (the read may predate the write). The change may return the row unchanged.
    /// </summary>
    public void Update(string accountId, Func<IntegratedAccount, IntegratedAccount> change)
    {
        if (!entries.TryGetValue(accountId, out var entry))
        {
            return;
        }

        if (entry.Read.IsCompletedSuccessfully && entry.Read.Result is { } account)
        {
            var updated = new Entry(new Lazy<Task<IntegratedAccount?>>(Task.FromResult<IntegratedAccount?>(change(account))), entry.ExpiresAt);
            if (entries.TryUpdate(accountId, updated, entry))
            {
                return;
            }
        }

        Forget(accountId);
    }

    public void Forget(string accountId)
    {
        if (entries.TryRemove(accountId, out _))
        {
            Interlocked.Decrement(ref count);
        }
    }

    private Entry Add(string accountId, Func<string, Task<IntegratedAccount?>> read, DateTimeOffset now)
    {
        if (Volatile.Read(ref count) >= MaxEntries)
        {
            Sweep(now);
        }

        // Lazy: when two callers race to add, only the entry that is kept ever reads.
        var lazy = new Lazy<Task<IntegratedAccount?>>(() => read(accountId));
        var fresh = new Entry(lazy, now + ttl);
        while (true)
        {
            if (entries.TryAdd(accountId, fresh))
            {
                Interlocked.Increment(ref count);
                fresh.Start();
                // A failed read is forgotten even when every caller waiting for it has gone (their catch does not run).
                _ = fresh.Read.ContinueWith(_ => Remove(accountId, fresh), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return fresh;
            }

            if (entries.TryGetValue(accountId, out var existing))
            {
                if (existing.ExpiresAt > now)
                {
                    return existing;
                }

                Remove(accountId, existing);
            }
        }
    }

    private void Remove(string accountId, Entry entry)
    {
        if (entries.TryRemove(KeyValuePair.Create(accountId, entry)))
        {
            Interlocked.Decrement(ref count);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (accountId, entry) in entries)
        {
            if (entry.ExpiresAt <= now)
            {
                Remove(accountId, entry);
            }
        }

        if (Volatile.Read(ref count) >= MaxEntries)
        {
            foreach (var accountId in entries.Keys)
            {
                Forget(accountId);
            }
        }
    }

    private sealed class Entry(Lazy<Task<IntegratedAccount?>> read, DateTimeOffset expiresAt)
    {
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public Task<IntegratedAccount?> Read => read.Value;

        public void Start() => _ = read.Value;
    }
}
