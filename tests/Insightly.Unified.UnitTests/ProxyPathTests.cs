using Insightly.Unified.Errors;
using Insightly.Unified.Insightly;
using Insightly.Unified.Proxy;
using Insightly.Unified.TestData;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Insightly.Unified.UnitTests;

public sealed class ProxyPathTests
{
    private static readonly Uri Base = new("https://api.na1.insightly.com/v3.1/");

    public static TheoryData<string> HostilePaths => new(HostileProxyPaths.All);

    public static TheoryData<string, string> AcceptedPaths => new()
    {
        { "Contacts", "Contacts" },
        { "Contacts/101", "Contacts/101" },
        { "Contacts/", "Contacts/" },
        { "Users/Me", "Users/Me" },
        { "Contacts/Search", "Contacts/Search" },
        { "CustomFields/Contacts", "CustomFields/Contacts" },
        { "Opportunities/5/PipelineStage", "Opportunities/5/PipelineStage" },
        { "Project_Request__c", "Project_Request__c" },
        { "Contacts.json", "Contacts.json" },
        { "a-b~c", "a-b~c" },
        { "%43ontacts/%31", "Contacts/1" },
    };

    [Fact]
    public void The_hostile_table_has_at_least_forty_paths() => Assert.True(HostilePaths.Count >= 40, $"{HostilePaths.Count} hostile paths");

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public void Hostile_paths_are_refused_with_400_invalid_parameter(string path)
    {
        var error = Assert.Throws<ApiException>(() => ProxyPath.Validate(path));
        Assert.Equal((400, ErrorCodes.InvalidParameter, "path"), (error.StatusCode, error.Error, error.Details?["parameter"]?.GetValue<string>()));
    }

    [Theory]
    [MemberData(nameof(HostilePaths))]
    public void Hostile_paths_are_refused_when_they_arrive_in_the_raw_request_target_too(string path)
    {
        // The server may have removed dot segments from the route value; the raw target still shows them.
        var request = RequestWithRawTarget("/api/proxy/" + path + "?integrated_account_id=ia-x");
        var error = Assert.Throws<ApiException>(() => ProxyPath.FromRequest(request, "Contacts"));
        Assert.Equal(400, error.StatusCode);
    }

    [Theory]
    [MemberData(nameof(AcceptedPaths))]
    public void Paths_made_of_plain_segments_are_accepted_in_canonical_form(string path, string expected)
    {
        Assert.Equal(expected, ProxyPath.Validate(path));
        Assert.Equal(new Uri(Base, expected), InsightlyClient.EnsureWithinBase(Base, new Uri(Base, expected)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_path_is_400_missing_parameter(string? path) =>
        Assert.Equal(ErrorCodes.MissingParameter, Assert.Throws<ApiException>(() => ProxyPath.Validate(path)).Error);

    [Fact]
    public void A_raw_target_that_agrees_with_the_route_value_is_accepted() =>
        Assert.Equal("Contacts/1", ProxyPath.FromRequest(RequestWithRawTarget("/API/Proxy/Contacts/%31?x=1"), "Contacts/1"));

    [Fact]
    public void A_route_value_the_server_normalised_away_from_the_raw_target_is_refused()
    {
        var request = RequestWithRawTarget("/api/proxy/Contacts/Search");
        Assert.Equal(400, Assert.Throws<ApiException>(() => ProxyPath.FromRequest(request, "Users/Me")).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://localhost/api/proxy/Contacts")]
    [InlineData("/api/pr%6fxy/Contacts")]
    public void Without_a_recognisable_raw_target_the_validated_route_value_decides(string? rawTarget) =>
        Assert.Equal("Contacts", ProxyPath.FromRequest(RequestWithRawTarget(rawTarget), "Contacts"));

    [Theory]
    [InlineData("", "")]
    [InlineData("?integrated_account_id=ia-1", "")]
    [InlineData("?integrated_account_id=ia-1&code=key", "")]
    [InlineData("?top=5&integrated_account_id=ia-1&skip=10", "?top=5&skip=10")]
    [InlineData("?CODE=key&Integrated_Account_Id=ia-1&brief=true", "?brief=true")]
    [InlineData("?integrated%5Faccount%5Fid=ia-1&field_name=EMAIL_ADDRESS&field_value=a%2Bb%40example.com", "?field_name=EMAIL_ADDRESS&field_value=a%2Bb%40example.com")]
    [InlineData("?codex=1&xcode=2&code", "?codex=1&xcode=2")]
    [InlineData("?a=1&&b=2&", "?a=1&b=2")]
    public void The_query_goes_upstream_as_encoded_without_the_account_id_and_function_key(string query, string expected) =>
        Assert.Equal(expected, ProxyPath.ForwardedQuery(new QueryString(query.Length == 0 ? null : query)));

    /// <summary>URIs that no validated path produces, fed straight to the client's last check.</summary>
    [Theory]
    [InlineData("//evil.example/v3.1/Contacts")]
    [InlineData("http://api.na1.insightly.com/v3.1/Contacts")]
    [InlineData("https://evil.example/v3.1/Contacts")]
    [InlineData("https://api.na1.insightly.com:8443/v3.1/Contacts")]
    [InlineData("https://user@api.na1.insightly.com/v3.1/Contacts")]
    [InlineData("https://api.eu1.insightly.com/v3.1/Contacts")]
    [InlineData("../v3.0/Contacts")]
    [InlineData("/v3.1")]
    [InlineData("/Contacts")]
    [InlineData("Contacts/../../v2.2/Contacts")]
    public void The_client_refuses_any_final_uri_outside_the_accounts_base(string relativeOrAbsolute)
    {
        var reference = relativeOrAbsolute.Contains("://", StringComparison.Ordinal)
            ? new Uri(relativeOrAbsolute)
            : new Uri(relativeOrAbsolute, UriKind.Relative);
        var target = new Uri(Base, reference);
        var error = Assert.Throws<ApiException>(() => InsightlyClient.EnsureWithinBase(Base, target));
        Assert.Equal((400, ErrorCodes.InvalidParameter), (error.StatusCode, error.Error));
    }

    [Fact]
    public void The_client_accepts_the_base_itself_and_anything_below_it()
    {
        Assert.NotNull(InsightlyClient.EnsureWithinBase(Base, new Uri(Base, "Users/Me?x=1")));
        Assert.NotNull(InsightlyClient.EnsureWithinBase(Base, Base));
    }

    private static HttpRequest RequestWithRawTarget(string? rawTarget)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget!;
        return context.Request;
    }
}
