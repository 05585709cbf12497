using System.ComponentModel.DataAnnotations;

namespace Insightly.Unified.Proxy;

/// <summary>Limits of the passthrough proxy (section <c>Proxy</c>).</summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>The largest request body forwarded (contract: 10 MiB); more is 413 <c>payload_too_large</c>.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxBodyBytes { get; set; } = 10 * 1024 * 1024;
}
