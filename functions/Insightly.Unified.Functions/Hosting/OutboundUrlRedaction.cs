using System.Diagnostics;
using OpenTelemetry;

namespace Insightly.Unified.Functions.Hosting;

/// <summary>
/// Cuts the URL of every outgoing HTTP span down to its scheme, host and port before it is exported. The
/// instrumentation already drops query strings, but a path can hold a secret too: webhook receivers often carry
/// their credential in it (<c>https://hooks.example.com/services/T0/B0/&lt;secret&gt;</c>). Insightly calls keep
/// their resource on the app's own <c>Insightly {METHOD} {Resource}</c> span.
/// </summary>
public sealed class OutboundUrlRedaction : BaseProcessor<Activity>
{
    public const string UrlTag = "url.full";

    public override void OnEnd(Activity activity)
    {
        if (activity.Kind == ActivityKind.Client
            && activity.GetTagItem(UrlTag) is string url
            && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            activity.SetTag(UrlTag, uri.GetLeftPart(UriPartial.Authority) + "/");
        }
    }
}
