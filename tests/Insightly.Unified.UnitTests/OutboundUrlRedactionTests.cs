using System.Diagnostics;
using Insightly.Unified.Functions.Hosting;

namespace Insightly.Unified.UnitTests;

public sealed class OutboundUrlRedactionTests : IDisposable
{
    private readonly ActivitySource source = new("test." + Guid.NewGuid().ToString("N"));
    private readonly ActivityListener listener;

    public OutboundUrlRedactionTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = candidate => candidate == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose()
    {
        listener.Dispose();
        source.Dispose();
    }

    [Fact]
    public void An_outgoing_span_keeps_only_the_scheme_host_and_port_of_its_url()
    {
        using var activity = source.StartActivity("POST", ActivityKind.Client)!;
        activity.SetTag(OutboundUrlRedaction.UrlTag, "https://hooks.example.com:8443/services/T0/B0/s3cr3t-in-the-path?x=*");

        new OutboundUrlRedaction().OnEnd(activity);

        Assert.Equal("https://hooks.example.com:8443/", activity.GetTagItem(OutboundUrlRedaction.UrlTag));
    }

    [Fact]
    public void A_server_span_is_left_as_it_is()
    {
        using var activity = source.StartActivity("GET", ActivityKind.Server)!;
        activity.SetTag(OutboundUrlRedaction.UrlTag, "http://localhost/api/health");

        new OutboundUrlRedaction().OnEnd(activity);

        Assert.Equal("http://localhost/api/health", activity.GetTagItem(OutboundUrlRedaction.UrlTag));
    }
}
