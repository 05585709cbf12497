using System.Globalization;
using System.Text.Json;
using Insightly.Unified.Configuration;
using Insightly.Unified.Errors;
using Insightly.Unified.Insightly;
using Insightly.Unified.Telemetry;
using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Unified.Mapping;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Unified.Lookups;

/// <summary>
/// Per-account caches of what mapping needs besides the records themselves: pipelines, stages, lead statuses
/// and sources, and each collection's custom field definitions. Each is read at most once per
/// <see cref="UnifiedOptions.LookupCacheTtl"/> per account (concurrent misses share one read), so mapping a
/// page never costs a call per record. A lookup the key's user may not read (403) is cached as empty: the
/// references then carry no name, and the records still come through.
/// </summary>
public sealed class AccountLookups(
    AccountConnector connector, IOptions<UnifiedOptions> options, UnifiedMetrics metrics, ILogger<AccountLookups> logger) : IDisposable
{
    private const int PageSize = 500;
    private const string ChoicesPrefix = "choices|";
    private static readonly TimeSpan ChoicesKeptFor = TimeSpan.FromDays(1);

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = options.Value.LookupCacheEntries });

    public async Task<LookupSet> GetAsync(IntegratedAccount account, LookupKinds kinds, CancellationToken cancellationToken)
    {
        if (kinds == LookupKinds.None)
        {
            return LookupSet.Empty;
        }

        var wanted = Enum.GetValues<LookupKinds>().Where(kind => kind != LookupKinds.None && kinds.HasFlag(kind)).ToList();
        var loaded = await Task.WhenAll(wanted.Select(kind => ListAsync(account, LookupSet.Path(kind), cancellationToken)));
        return new LookupSet(wanted.Zip(loaded).ToDictionary(pair => pair.First, pair => pair.Second));
    }

    public async Task<CustomFieldSet> CustomFieldsAsync(IntegratedAccount account, string collection, CancellationToken cancellationToken)
    {
        var definitions = await ListAsync(account, $"CustomFields/{collection}", cancellationToken);
        return new CustomFieldSet([.. definitions.Select(CustomFieldDefinition.Parse).OfType<CustomFieldDefinition>()]);
    }

    /// <summary>
    /// How the account's records spell enumerated values, as seen in the records mapped for it here. Kept while the
    /// account is in use (a day after its last request), and rebuilt from the next records read when lost.
    /// </summary>
    public ChoiceSpellings ChoicesOf(string accountId) => cache.GetOrCreate(ChoicesPrefix + accountId, entry =>
    {
        entry.SlidingExpiration = ChoicesKeptFor;
        entry.Size = 1;
        return new ChoiceSpellings();
    })!;

    /// <summary>Forgets an account's lookups, e.g. after a write that Insightly refused for a stale reason.</summary>
    public void Forget(string accountId, string path) => cache.Remove(Key(accountId, path));

    public void Dispose() => cache.Dispose();

    private async Task<IReadOnlyList<JsonElement>> ListAsync(IntegratedAccount account, string path, CancellationToken cancellationToken)
    {
        var key = Key(account.Id, path);
        metrics.CacheLookup(UnifiedMetrics.Caches.Lookup, cache.TryGetValue(key, out _));
        var entry = cache.GetOrCreate(key, item =>
        {
            item.AbsoluteExpirationRelativeToNow = options.Value.LookupCacheTtl;
            item.Size = 1;
            // The shared read is not tied to one caller's cancellation; each caller only stops waiting.
            return new Lazy<Task<IReadOnlyList<JsonElement>>>(() => ReadAllAsync(account, path, CancellationToken.None));
        })!;
        try
        {
            return await entry.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            cache.Remove(key);
            throw;
        }
    }

    private async Task<IReadOnlyList<JsonElement>> ReadAllAsync(IntegratedAccount account, string path, CancellationToken cancellationToken)
    {
        var records = new List<JsonElement>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        try
        {
            for (var skip = 0; ; skip += PageSize)
            {
                var page = string.Create(CultureInfo.InvariantCulture, $"{path}{separator}skip={skip}&top={PageSize}");
                using var answer = await connector.GetDocumentAsync(account, page, cancellationToken);
                var items = answer.Root.ValueKind == JsonValueKind.Array ? answer.Root.EnumerateArray().Select(e => e.Clone()).ToList() : [];
                records.AddRange(items);
                if (items.Count < PageSize)
                {
                    return records;
                }
            }
        }
        catch (ApiException exception) when (exception.Remote?.Status == 403)
        {
            logger.LogInformation("Account {AccountId} may not read {Lookup}; its references are shown without names", account.Id, path);
            return [];
        }
    }

    private static string Key(string accountId, string path) => accountId + "|" + path;
}
