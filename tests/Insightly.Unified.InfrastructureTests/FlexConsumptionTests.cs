using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Insightly.Unified.InfrastructureTests;

public sealed class FlexConsumptionTests
{
    [Fact]
    public void The_template_sets_no_site_property_or_app_setting_that_Flex_Consumption_deprecates()
    {
        var scan = FlexConsumptionDeprecations.Find(ArmTemplate.Load());

        Assert.True(scan.Sites > 0, "The scan found no Microsoft.Web/sites resource.");
        Assert.True(scan.AppSettingSources > 0, "The scan found no app settings.");
        Assert.True(scan.Findings.Count == 0,
            "Flex Consumption deprecates these (newer regions reject such site properties with BadRequest 51021):"
            + string.Concat(scan.Findings.Select(f => $"{Environment.NewLine}  {f}")));
    }

    [Fact]
    public void The_scan_finds_deprecated_properties_and_settings_wherever_a_template_sets_them()
    {
        const string template = """
            {
              "resources": [
                {
                  "type": "Microsoft.Web/sites", "name": "[parameters('appName')]",
                  "properties": {
                    "httpsOnly": true,
                    "vnetRouteAllEnabled": true,
                    "siteConfig": {
                      "minTlsVersion": "1.2",
                      "ftpsState": "Disabled",
                      "LinuxFxVersion": "DOTNET-ISOLATED|10.0",
                      "appSettings": [
                        { "name": "KeyVault__Uri", "value": "https://vault/" },
                        { "name": "WEBSITE_RUN_FROM_PACKAGE", "value": "1" }
                      ]
                    }
                  }
                },
                {
                  "type": "Microsoft.Resources/deployments", "name": "settings",
                  "properties": {
                    "template": {
                      "resources": {
                        "settings": {
                          "type": "Microsoft.Web/sites/config", "name": "[format('{0}/{1}', parameters('appName'), 'appsettings')]",
                          "properties": { "AzureWebJobsStorage__credential": "managedidentity", "FUNCTIONS_WORKER_RUNTIME": "dotnet-isolated" }
                        },
                        "web": {
                          "type": "Microsoft.Web/sites/config", "name": "app/web",
                          "properties": { "http20Enabled": true, "use32BitWorkerProcess": false }
                        },
                        "more": {
                          "type": "Microsoft.Web/sites/config", "name": "app/appsettings",
                          "properties": "[union(parameters('extra'), createObject('WEBSITE_CONTENTSHARE', 'share'))]"
                        }
                      }
                    }
                  }
                }
              ]
            }
            """;

        var scan = FlexConsumptionDeprecations.Find(ArmTemplate.Parse(template));

        Assert.Equal(1, scan.Sites);
        Assert.Equal(3, scan.AppSettingSources);
        string[] planted =
        [
            "properties.vnetRouteAllEnabled", "properties.siteConfig.ftpsState", "properties.siteConfig.LinuxFxVersion",
            "appSettings WEBSITE_RUN_FROM_PACKAGE", "properties.FUNCTIONS_WORKER_RUNTIME", "properties.use32BitWorkerProcess",
            "(in an expression) WEBSITE_CONTENTSHARE",
        ];
        Assert.Equal(planted.Length, scan.Findings.Count);
        Assert.All(planted, name => Assert.Contains(scan.Findings, f => f.EndsWith(name, StringComparison.Ordinal)));
    }

    [Fact]
    public void Basic_auth_publishing_is_off_and_no_ftp_policy_is_set()
    {
        // Flex Consumption has no FTP(S), so only the SCM (Kudu) policy applies.
        var policy = Assert.Single(ArmTemplate.Load().OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"));
        Assert.EndsWith("'scm')]", policy.Str("name"), StringComparison.Ordinal);
        Assert.False(policy["properties"]!["allow"]!.GetValue<bool>());
    }

    public static TheoryData<string?, string> PrincipalTypes => new()
    {
        { null, "User" },
        { "ServicePrincipal", "ServicePrincipal" },
        { "Group", "Group" },
    };

    [Theory]
    [MemberData(nameof(PrincipalTypes))]
    public void The_operator_comes_from_AZURE_PRINCIPAL_ID_and_its_type_from_AZURE_PRINCIPAL_TYPE_default_User(string? principalType, string expected)
    {
        const string principalId = "00000000-0000-0000-0000-000000000042";

        var (exitCode, parametersJson, errors) = BuildParameters(principalId, principalType);

        Assert.True(exitCode == 0, errors);
        var parameters = JsonNode.Parse(parametersJson!)!["parameters"]!;
        Assert.Equal(principalId, parameters["operatorPrincipalId"]!["value"]!.GetValue<string>());
        Assert.Equal(expected, parameters["operatorPrincipalType"]!["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void The_operator_reads_customers_keys_only_when_AZURE_OPERATOR_SECRETS_ACCESS_is_true(string? access, bool granted)
    {
        var (exitCode, parametersJson, errors) = BuildParameters("00000000-0000-0000-0000-000000000042", null, access);

        Assert.True(exitCode == 0, errors);
        Assert.Equal(granted, JsonNode.Parse(parametersJson!)!["parameters"]!["grantOperatorSecretsAccess"]!["value"]!.GetValue<bool>());
    }

    [Fact]
    public void A_principal_type_the_template_does_not_allow_fails_when_the_parameters_compile()
    {
        var (exitCode, _, errors) = BuildParameters("00000000-0000-0000-0000-000000000042", "user principal");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("BCP033", errors, StringComparison.Ordinal);
    }

    /// <summary>Compiles main.bicepparam as azd would, with the given principal in the environment.</summary>
    /// <returns>Bicep's exit code, the parameters file it wrote (null when it failed) and what it printed.</returns>
    private static (int ExitCode, string? ParametersJson, string Errors) BuildParameters(
        string principalId, string? principalType, string? operatorSecretsAccess = null)
    {
        var outFile = Path.Combine(Path.GetTempPath(), $"main.parameters.{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(ArmTemplate.BicepPath)
        {
            ArgumentList = { "build-params", Path.Combine(ArmTemplate.SourceDirectory, "main.bicepparam"), "--outfile", outFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AZURE_PRINCIPAL_ID"] = principalId;
        if (principalType is null)
        {
            start.Environment.Remove("AZURE_PRINCIPAL_TYPE");
        }
        else
        {
            start.Environment["AZURE_PRINCIPAL_TYPE"] = principalType;
        }

        start.Environment.Remove("AZURE_OPERATOR_SECRETS_ACCESS");
        if (operatorSecretsAccess is not null)
        {
            start.Environment["AZURE_OPERATOR_SECRETS_ACCESS"] = operatorSecretsAccess;
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, File.Exists(outFile) ? File.ReadAllText(outFile) : null, errors + output.Result);
        }
        finally
        {
            File.Delete(outFile);
        }
    }
}
