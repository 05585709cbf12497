using System.Text.RegularExpressions;
using Insightly.Unified.Errors;

namespace Insightly.Unified.IntegratedAccounts;

/// <summary>
/// The pod (<c>na1</c>, <c>eu1</c>, <c>au1</c>, …) that hosts an Insightly instance, given directly or
/// read from the API URL shown under User Settings → API (<c>https://api.na1.insightly.com/v3.1/</c>).
/// </summary>
public static partial class InsightlyPod
{
    /// <summary>The pods Insightly is known to run (insightly-api.md section 1); others are accepted but never guessed.</summary>
    public static readonly IReadOnlyList<string> Known = ["na1", "eu1", "au1"];

    /// <summary>The API URL Insightly shows under User Settings → API for a pod.</summary>
    public static string ApiUrl(string pod) => $"https://api.{pod}.insightly.com/v3.1/";

    public static string Normalize(string pod)
    {
        var normalized = pod.Trim().ToLowerInvariant();
        if (!PodToken().IsMatch(normalized))
        {
            // The input is not echoed: people paste keys into the wrong field.
            throw ApiException.InvalidBody("'pod' must be an Insightly pod such as na1, eu1 or au1 (letters and digits only).", "pod");
        }

        return normalized;
    }

    /// <summary>Reads the pod out of an Insightly API URL; anything that is not one is refused.</summary>
    public static string FromApiUrl(string apiUrl)
    {
        if (!Uri.TryCreate(apiUrl.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || !uri.IsDefaultPort
            || uri.UserInfo.Length > 0
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0
            || !ApiPath().IsMatch(uri.AbsolutePath))
        {
            throw NotAnApiUrl();
        }

        var host = ApiHost().Match(uri.Host);
        if (!host.Success)
        {
            throw NotAnApiUrl();
        }

        return host.Groups["pod"].Value.ToLowerInvariant();
    }

    // The input is not echoed: a pasted URL can carry a key (https://KEY@api.na1.insightly.com/...).
    private static ApiException NotAnApiUrl() => ApiException.InvalidBody(
        "'api_url' must be the Insightly API URL from User Settings → API, like https://api.na1.insightly.com/v3.1/.",
        "api_url");

    [GeneratedRegex("^[a-z0-9]{2,16}$", RegexOptions.CultureInvariant)]
    private static partial Regex PodToken();

    [GeneratedRegex(@"^api\.(?<pod>[a-z0-9]{2,16})\.insightly\.com$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ApiHost();

    [GeneratedRegex(@"^/(v3\.[0-9]+/?)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ApiPath();
}
