using Insightly.Unified.LocalHost;
using Microsoft.Extensions.Configuration;

namespace Insightly.Unified.UnitTests;

public sealed class LocalHostSettingsTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"local.settings.{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(path);

    [Theory]
    [InlineData("localhost:7071", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("127.0.0.1:7071", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("[::1]:7071", true)]
    [InlineData("evil.example:7071", false)]
    [InlineData("localhost.evil.example", false)]
    [InlineData("127.0.0.1.nip.io", false)]
    [InlineData("10.0.0.5:7071", false)]
    [InlineData("[::ffff:7f00:1]", true)]
    [InlineData("", false)]
    public void Only_loopback_names_are_served(string host, bool served) =>
        Assert.Equal(served, LoopbackHostGuard.IsLoopbackName(new Microsoft.AspNetCore.Http.HostString(host)));

    [Fact]
    public void Values_of_local_settings_become_settings_with_double_underscores_as_sections()
    {
        File.WriteAllText(path, """{"IsEncrypted":false,"Values":{"Insightly__BaseUrlTemplate":"http://127.0.0.1:7080/{pod}/v3.1/","CREDENTIAL_CHECK_SCHEDULE":"0 0 1 * * *"}}""");
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables();
        configuration.AddLocalSettings(path);

        var built = configuration.Build();
        Assert.Equal("http://127.0.0.1:7080/{pod}/v3.1/", built["Insightly:BaseUrlTemplate"]);
        Assert.Equal("0 0 1 * * *", built["CREDENTIAL_CHECK_SCHEDULE"]);
    }

    [Fact]
    public void The_environment_wins_over_local_settings()
    {
        var name = "LOCALHOST_SETTINGS_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-environment");
        try
        {
            File.WriteAllText(path, $$$"""{"Values":{"{{{name}}}":"from-file"}}""");
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables();
            configuration.AddLocalSettings(path);

            Assert.Equal("from-environment", configuration.Build()[name]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void A_missing_file_changes_nothing()
    {
        var configuration = new ConfigurationBuilder();
        configuration.AddLocalSettings(path);
        Assert.Empty(configuration.Build().AsEnumerable());
    }

    [Fact]
    public void A_malformed_file_fails_naming_it()
    {
        File.WriteAllText(path, "{ not json");
        var error = Assert.Throws<InvalidOperationException>(() => new ConfigurationBuilder().AddLocalSettings(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "http://localhost:7071")]
    [InlineData("8080", null, "http://localhost:8080")]
    [InlineData("8080", "http://127.0.0.1:0", "http://127.0.0.1:0")]
    public void The_local_host_listens_on_loopback_unless_told_otherwise(string? port, string? urls, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("PORT", port), KeyValuePair.Create("urls", urls)])
            .Build();
        Assert.Equal(expected, LocalFunctionsHost.ListenUrls(configuration));
    }
}
