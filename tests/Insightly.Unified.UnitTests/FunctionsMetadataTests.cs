using System.Text.Json.Nodes;

namespace Insightly.Unified.UnitTests;

/// <summary>
/// Reads the functions.metadata the Functions SDK generates — what the real Functions host indexes —
/// and checks every function, route, method set and auth level against the contract.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string[] AllMethods = ["get", "post", "put", "patch", "delete", "head", "options"];

    public static TheoryData<string, string, string[], string> HttpFunctions => new()
    {
        { "Health", "health", ["get"], "Anonymous" },
        { "LinkAccount", "integrated-accounts", ["post"], "Function" },
        { "ListAccounts", "integrated-accounts", ["get"], "Function" },
        { "GetAccount", "integrated-accounts/{id}", ["get"], "Function" },
        { "UpdateAccount", "integrated-accounts/{id}", ["patch"], "Function" },
        { "DeleteAccount", "integrated-accounts/{id}", ["delete"], "Function" },
        { "ValidateAccount", "integrated-accounts/{id}/validate", ["post"], "Function" },
        { "Proxy", "proxy/{*path}", ["get", "post", "put", "patch", "delete"], "Function" },
        { "ZzUnknownRoute", "{*path}", AllMethods, "Function" },
    };

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void The_host_indexes_each_http_function_with_its_route_methods_and_auth_level(
        string name, string route, string[] methods, string authLevel)
    {
        var trigger = Trigger(name, "httpTrigger");
        Assert.Equal(route, trigger["route"]!.GetValue<string>());
        Assert.Equal(methods.Order(), trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()).Order());
        Assert.Equal(authLevel, trigger["authLevel"]!.GetValue<string>());
    }

    [Fact]
    public void The_credential_check_runs_on_the_configured_schedule() =>
        Assert.Equal("%CREDENTIAL_CHECK_SCHEDULE%", Trigger("CredentialCheck", "timerTrigger")["schedule"]!.GetValue<string>());

    [Fact]
    public void No_function_exists_that_these_tests_do_not_know_about()
    {
        var expected = HttpFunctions.Select(row => (string)row[0]).Append("CredentialCheck").Order();
        Assert.Equal(expected, Metadata().Select(f => f!["name"]!.GetValue<string>()).Order());
    }

    [Fact]
    public void Only_health_is_anonymous()
    {
        var anonymous = Metadata()
            .Where(f => f!["bindings"]!.AsArray().Any(b => b!["authLevel"]?.GetValue<string>() == "Anonymous"))
            .Select(f => f!["name"]!.GetValue<string>());
        Assert.Equal(["Health"], anonymous);
    }

    private static JsonObject Trigger(string function, string type) => FunctionsMetadata.Trigger(function, type);

    private static IEnumerable<JsonObject> Metadata() => FunctionsMetadata.Functions;
}
