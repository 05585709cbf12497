using Insightly.Unified.Errors;
using Insightly.Unified.Insightly;
using Insightly.Unified.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Insightly.Unified.UnitTests;

public sealed class ProxyPathTests
{
    private static readonly Uri Base = new("https://api.na1.insightly.com/v3.1/");

    /// <summary>Paths (as encoded after <c>/api/proxy/</c>) that would leave the v3.1 base or hide something.</summary>
    public static TheoryData<string> HostilePaths => new()
    {
        // Dot segments, plain.
        "..", "../Users", "Contacts/..", "Contacts/../../admin", "Contacts/../Users/Me", ".", "./Contacts", "Contacts/./1", "...",
        // Dot segments, encoded: percent, mixed case, half-encoded, double and triple encoded.
        "%2e%2e", "%2E%2E/Users", ".%2e", "%2e.", "Contacts/%2e%2e/Users", "%252e%252e", "%25252e%25252e/Users", "%2e",
        // Overlong UTF-8 and other encodings that some decoders turn into dots or slashes.
        "%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae", "%c0%2e%c0%2e", "%c0%af", "%e0%80%af", "%u002e%u002e", "%ef%bc%8e%ef%bc%8e", "．．",
        // Encoded slash and backslash; raw backslashes.
        "Contacts%2fUsers", "Contacts%2F..%2FUsers", "%2f%2fevil.example", "Contacts%5c..%5cUsers", "%255c", "%252f", "Contacts\\..\\Users", "..\\Users",
        // Absolute URLs, network paths, other schemes, user info, ports.
        "http://evil.example/x", "https:%2f%2fevil.example", "//evil.example/x", "/evil.example", "javascript:alert(1)",
        "file:///etc/passwd", "ftp:evil", "@evil.example", "user@evil.example/Contacts", "Contacts@evil.example", "%40evil.example",
        "evil.example:443", "Contacts%3a8080",
        // Control characters, raw or encoded; CRLF header injection.
        "Contacts%00", "Contacts%0d%0aHost:%20evil.example", "Contacts%0a", "Contacts%09", "Contacts%7f", "Contacts\u0001", "Contacts\r\nX: 1",
        // Malformed escapes, path parameters, query or fragment smuggled into the path, spaces, non-ASCII.
        "Contacts%", "Contacts%2", "Contacts%zz", "..;/Users", "Contacts;jsessionid=1", "Contacts%3f", "Contacts%23x", "Contacts%20", "%e2%80%ae", "%ff",
        // Empty segments.
        "Contacts//1", "//", "/",
    };

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
