using System.Diagnostics.Metrics;
using Insightly.Unified.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Insightly.Unified.UnitTests;

internal static class TestMetrics
{
    /// <summary>Instruments from a meter factory of their own, as each host has one.</summary>
    public static UnifiedMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());
}
