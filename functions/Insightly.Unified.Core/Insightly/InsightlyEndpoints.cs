using System.Collections.Concurrent;
using Insightly.Unified.Configuration;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Insightly;

/// <summary>Each pod's v3.1 base URI, built from <see cref="InsightlyOptions.BaseUrlTemplate"/> and parsed once per pod.</summary>
public sealed class InsightlyEndpoints(IOptions<InsightlyOptions> options)
{
    // Pods are caller input while a key is verified: the cache keeps to a handful whatever is tried.
    private const int MaxCachedPods = 32;

    private readonly ConcurrentDictionary<string, Uri> baseUris = new(StringComparer.Ordinal);

    public Uri BaseUri(string pod)
    {
        if (baseUris.TryGetValue(pod, out var cached))
        {
            return cached;
        }

        var url = options.Value.BaseUrlTemplate.Replace("{pod}", pod, StringComparison.Ordinal);
        var parsed = new Uri(url.EndsWith('/') ? url : url + "/");
        if (baseUris.Count < MaxCachedPods)
        {
            baseUris.TryAdd(pod, parsed);
        }

        return parsed;
    }
}
