using Insightly.Unified.IntegratedAccounts;
using Insightly.Unified.Errors;

namespace Insightly.Unified.UnitTests;

public sealed class InsightlyPodTests
{
    [Theory]
    [InlineData("https://api.na1.insightly.com/v3.1/", "na1")]
    [InlineData("https://api.eu1.insightly.com/v3.1", "eu1")]
    [InlineData("https://API.AU1.Insightly.com/", "au1")]
    [InlineData("  https://api.na1.insightly.com  ", "na1")]
    [InlineData("https://api.na1.insightly.com/v3.0/", "na1")]
    public void Reads_the_pod_out_of_an_Insightly_API_url(string apiUrl, string pod) =>
        Assert.Equal(pod, InsightlyPod.FromApiUrl(apiUrl));

    [Theory]
    [InlineData("http://api.na1.insightly.com/v3.1/")]
    [InlineData("https://api.insightly.com/v3.1/")]
    [InlineData("https://crm.na1.insightly.com/")]
    [InlineData("https://api.na1.insightly.com.evil.example/v3.1/")]
    [InlineData("https://evil.example/api.na1.insightly.com/v3.1/")]
    [InlineData("https://user@api.na1.insightly.com/v3.1/")]
    [InlineData("https://api.na1.insightly.com:8443/v3.1/")]
    [InlineData("https://api.na1.insightly.com/v3.1/Contacts")]
    [InlineData("https://api.na1.insightly.com/v3.1/?x=1")]
    [InlineData("https://api.n-1.insightly.com/v3.1/")]
    [InlineData("api.na1.insightly.com")]
    [InlineData("")]
    public void Refuses_anything_that_is_not_an_Insightly_API_url(string apiUrl)
    {
        var error = Assert.Throws<ApiException>(() => InsightlyPod.FromApiUrl(apiUrl));
        Assert.Equal(ErrorCodes.InvalidBody, error.Error);
        Assert.Contains("api_url", error.Details!["fields"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_pasted_into_the_url_is_not_echoed_back()
    {
        var error = Assert.Throws<ApiException>(() => InsightlyPod.FromApiUrl("https://fce3cc45-ee4a-4716@api.na1.insightly.com/v3.1/"));
        Assert.DoesNotContain("fce3cc45", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ApiException>(() => InsightlyPod.Normalize("fce3cc45-ee4a-4716"));
        Assert.DoesNotContain("fce3cc45", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("na1", "na1")]
    [InlineData(" EU1 ", "eu1")]
    public void Normalizes_a_pod_token(string pod, string expected) => Assert.Equal(expected, InsightlyPod.Normalize(pod));

    [Theory]
    [InlineData("na1.insightly.com")]
    [InlineData("n")]
    [InlineData("na-1")]
    [InlineData("na1/../x")]
    public void Refuses_a_pod_that_is_not_a_plain_token(string pod) =>
        Assert.Equal(ErrorCodes.InvalidBody, Assert.Throws<ApiException>(() => InsightlyPod.Normalize(pod)).Error);
}
