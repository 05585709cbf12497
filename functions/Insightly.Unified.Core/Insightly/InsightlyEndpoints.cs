using System.Collections.Concurrent;
using Insightly.Unified.Configuration;
using Insightly.Unified.IntegratedAccounts;
using Microsoft.Extensions.Options;

namespace Insightly.Unified.Insightly;

/// <summary>Each pod's v3.1 base URI, built from <see cref="InsightlyOptions.BaseUrlTemplate"/>; Insightly's pods are parsed once.</summary>
public sealed class InsightlyEndpoints(IOptions<InsightlyOptions> options)
{
    private readonly ConcurrentDictionary<string, Uri> baseUris = new(StringComparer.Ordinal);

    public Uri BaseUri(string pod) =>
        // Only the known pods are kept: while a key is verified the pod is caller input, and must not fill the cache.
        InsightlyPod.Known.Contains(pod) ? baseUris.GetOrAdd(pod, Build) : Build(pod);

    private Uri Build(string pod)
    {
        var url = options.Value.BaseUrlTemplate.Replace("{pod}", pod, StringComparison.Ordinal);
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }
}
