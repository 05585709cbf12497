using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Insightly.Unified.Configuration;
using Insightly.Unified.Http;
using Insightly.Unified.Webhooks;

namespace Insightly.Unified.InfrastructureTests;

public sealed class BicepTemplateTests
{
    private readonly ArmTemplate template = ArmTemplate.Load();

    [Fact]
    public void Runs_dotnet_10_isolated_on_a_flex_consumption_linux_plan()
    {
        var plan = template.Single("Microsoft.Web/serverfarms");
        Assert.Equal(("FC1", "FlexConsumption"), (plan["sku"].Str("name"), plan["sku"].Str("tier")));
        Assert.True(plan["properties"]!["reserved"]!.GetValue<bool>());

        var app = template.Single("Microsoft.Web/sites");
        Assert.Equal("functionapp,linux", app.Str("kind"));
        var runtime = app["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal(("dotnet-isolated", "10.0"), (runtime.Str("name"), runtime.Str("version")));
    }

    [Fact]
    public void The_app_is_https_only_with_tls_1_2()
    {
        var app = template.Single("Microsoft.Web/sites");
        Assert.True(app["properties"]!["httpsOnly"]!.GetValue<bool>());
        Assert.Equal("1.2", app["properties"]!["siteConfig"].Str("minTlsVersion"));
    }

    [Fact]
    public void The_app_has_a_system_assigned_identity_used_for_its_deployment_storage()
    {
        var app = template.Single("Microsoft.Web/sites");
        Assert.Equal("SystemAssigned", app["identity"].Str("type"));
        var storage = app["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", storage.Str("type"));
        Assert.Equal("SystemAssignedIdentity", storage["authentication"].Str("type"));
    }

    [Fact]
    public void The_app_deploys_from_the_container_the_template_creates_and_scales_as_parameterised()
    {
        var config = template.Single("Microsoft.Web/sites")["properties"]!["functionAppConfig"]!;
        Assert.Equal("[format('{0}{1}', parameters('storageBlobEndpoint'), parameters('deploymentContainerName'))]",
            config["deployment"]!["storage"].Str("value"));
        Assert.Equal("[parameters('maximumInstanceCount')]", config["scaleAndConcurrency"].Str("maximumInstanceCount"));
        Assert.Equal("[parameters('instanceMemoryMB')]", config["scaleAndConcurrency"].Str("instanceMemoryMB"));

        var parameters = ModuleParameters("api");
        var storageParameters = ModuleParameters("storage");
        Assert.Equal(storageParameters["deploymentContainerName"].Str("value"), parameters["deploymentContainerName"].Str("value"));
        Assert.Equal("[parameters('maximumInstanceCount')]", parameters["maximumInstanceCount"].Str("value"));
        Assert.Equal("[parameters('instanceMemoryMB')]", parameters["instanceMemoryMB"].Str("value"));
    }

    [Fact]
    public void Settings_are_applied_only_after_the_identity_holds_its_roles()
    {
        Assert.Contains(DependsOn("appsettings"), d => d.Contains("'rbac'", StringComparison.Ordinal));
        Assert.Contains(DependsOn("rbac"), d => d.Contains("'keyvault'", StringComparison.Ordinal));
        Assert.Contains(DependsOn("rbac"), d => d.Contains("'monitoring'", StringComparison.Ordinal));
        Assert.Contains(DependsOn("rbac"), d => d.Contains("'api'", StringComparison.Ordinal));
    }

    [Fact]
    public void Storage_refuses_shared_keys_and_holds_the_deployment_container()
    {
        var storage = template.Single("Microsoft.Storage/storageAccounts");
        Assert.False(storage["properties"]!["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(storage["properties"]!["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["properties"].Str("minimumTlsVersion"));
        template.Single("Microsoft.Storage/storageAccounts/blobServices/containers");
    }

    [Fact]
    public void Key_Vault_uses_rbac_with_soft_delete_and_purge_protection_by_default()
    {
        var vault = template.Single("Microsoft.KeyVault/vaults")["properties"]!;
        Assert.True(vault["enableRbacAuthorization"]!.GetValue<bool>());
        Assert.True(vault["enableSoftDelete"]!.GetValue<bool>());
        Assert.Null(vault["accessPolicies"]);
        Assert.Equal("[if(parameters('enablePurgeProtection'), true(), null())]", vault.Str("enablePurgeProtection"));
        Assert.Equal("[parameters('publicNetworkAccess')]", vault.Str("publicNetworkAccess"));

        var parameters = template.Root["parameters"]!;
        Assert.True(parameters["keyVaultPurgeProtection"]!["defaultValue"]!.GetValue<bool>());
        Assert.Equal(["Enabled", "Disabled"], parameters["keyVaultPublicNetworkAccess"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void No_operator_gets_a_role_on_the_vault_of_customers_keys_unless_the_template_is_told_to()
    {
        Assert.False(template.Root["parameters"]!["grantOperatorSecretsAccess"]!["defaultValue"]!.GetValue<bool>());
        Assert.Equal("[parameters('grantOperatorSecretsAccess')]", ModuleParameters("rbac")["grantOperatorSecretsAccess"].Str("value"));
        var rbac = template.Modules["rbac"];
        Assert.False(rbac["parameters"]!["grantOperatorSecretsAccess"]!["defaultValue"]!.GetValue<bool>());
        var operatorRoles = rbac["resources"]!.AsArray().Select(r => r!.AsObject())
            .Where(r => r.Str("type") == "Microsoft.Authorization/roleAssignments" && r["properties"].Str("principalId") != "[parameters('principalId')]")
            .ToList();
        var secretsOfficer = Assert.Single(operatorRoles);
        Assert.Equal("[and(parameters('grantOperatorSecretsAccess'), not(empty(parameters('operatorPrincipalId'))))]", secretsOfficer.Str("condition"));
    }

    [Fact]
    public void The_vault_sends_every_audit_event_to_the_log_analytics_workspace()
    {
        var audit = template.Single("Microsoft.Insights/diagnosticSettings");
        Assert.StartsWith("[resourceId('Microsoft.KeyVault/vaults', ", audit.Str("scope"), StringComparison.Ordinal);
        Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", audit["properties"].Str("workspaceId"));
        var log = Assert.Single(audit["properties"]!["logs"]!.AsArray());
        Assert.Equal(("AuditEvent", true), (log.Str("category"), log!["enabled"]!.GetValue<bool>()));
        Assert.Contains("logAnalyticsWorkspaceId", ModuleParameters("keyvault")["logAnalyticsWorkspaceId"].Str("value"), StringComparison.Ordinal);
        Assert.Contains("'monitoring'", ModuleParameters("keyvault")["logAnalyticsWorkspaceId"].Str("value"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> AppRoles => new()
    {
        { "keyVaultSecretsOfficer", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Microsoft.KeyVault/vaults" },
        { "storageBlobDataOwner", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts" },
        { "storageTableDataContributor", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts" },
        { "storageQueueDataContributor", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts" },
        { "monitoringMetricsPublisher", "3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components" },
    };

    [Theory]
    [MemberData(nameof(AppRoles))]
    public void The_app_identity_gets_each_role_on_its_resource(string role, string roleDefinitionId, string scopeType)
    {
        var rbac = template.Modules["rbac"];
        Assert.Equal(roleDefinitionId, rbac["variables"]!["roleDefinitionIds"].Str(role));

        var assignment = Assert.Single(AppRoleAssignments(rbac), a => a.Role == role);
        Assert.StartsWith($"[resourceId('{scopeType}'", assignment.Resource.Str("scope"), StringComparison.Ordinal);
        Assert.StartsWith("[guid(", assignment.Resource.Str("name"), StringComparison.Ordinal);
        Assert.Contains("parameters('principalId')", assignment.Resource.Str("name"), StringComparison.Ordinal);
        Assert.Equal("[parameters('principalId')]", assignment.Resource["properties"].Str("principalId"));
        Assert.Equal("ServicePrincipal", assignment.Resource["properties"].Str("principalType"));
    }

    [Fact]
    public void Application_Insights_takes_only_Entra_ID_and_the_app_authenticates_that_way()
    {
        Assert.True(template.Single("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!.GetValue<bool>());
        Assert.Equal("Authorization=AAD", AppSettings()["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]!.GetValue<string>());
    }

    [Fact]
    public void OTLP_export_is_off_unless_an_endpoint_is_given()
    {
        Assert.Equal("[parameters('otlpEndpoint')]", AppSettings()["OTEL_EXPORTER_OTLP_ENDPOINT"]!.GetValue<string>());
        Assert.Equal("", template.Root["parameters"]!["otlpEndpoint"]!["defaultValue"]!.GetValue<string>());
        Assert.Equal("[parameters('otlpEndpoint')]", ModuleParameters("appsettings")["otlpEndpoint"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public void Link_urls_start_with_the_apps_https_default_host_name()
    {
        Assert.Equal("[parameters('publicBaseUrl')]", AppSettings()[PublicUrlOptions.Setting]!.GetValue<string>());
        var value = ModuleParameters("appsettings")["publicBaseUrl"].Str("value");
        Assert.StartsWith("[format('https://{0}', ", value, StringComparison.Ordinal);
        Assert.Contains("'api'", value, StringComparison.Ordinal);
        Assert.EndsWith(".outputs.defaultHostName.value)]", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_setting_the_app_needs_in_Azure_is_set_by_the_template()
    {
        var settings = AppSettings();
        Assert.All(DeploymentSettings.Required, name => Assert.True(settings.ContainsKey(name), $"The template does not set {name}"));
    }

    [Fact]
    public void The_template_sets_no_setting_the_app_and_host_do_not_read()
    {
        var unknown = AppSettings().Select(s => s.Key)
            .Where(name => !DeploymentSettings.Required.Contains(name)
                           && !DeploymentSettings.HostOwnedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Empty(unknown);
    }

    [Fact]
    public void The_webhook_queues_and_their_poison_queues_exist_with_the_names_the_app_is_given()
    {
        var queues = template.OfType("Microsoft.Storage/storageAccounts/queueServices/queues").ToList();
        var queue = Assert.Single(queues);
        Assert.Equal("[length(parameters('queueNames'))]", queue["copy"].Str("count"));
        Assert.Equal(
            ["[parameters('webhookEventsQueue')]", "[format('{0}-poison', parameters('webhookEventsQueue'))]",
             "[parameters('webhookDeliveriesQueue')]", "[format('{0}-poison', parameters('webhookDeliveriesQueue'))]"],
            ModuleParameters("storage")["queueNames"]!["value"]!.AsArray().Select(v => v!.GetValue<string>()));

        var appSettings = ModuleParameters("appsettings");
        Assert.Equal("[parameters('webhookEventsQueue')]", appSettings["webhookEventsQueue"].Str("value"));
        Assert.Equal("[parameters('webhookDeliveriesQueue')]", appSettings["webhookDeliveriesQueue"].Str("value"));
        Assert.Equal("[parameters('webhookEventsQueue')]", AppSettings()[WebhookOptions.EventsQueueSetting]!.GetValue<string>());
        Assert.Equal("[parameters('webhookDeliveriesQueue')]", AppSettings()[WebhookOptions.DeliveriesQueueSetting]!.GetValue<string>());
        var parameters = template.Root["parameters"]!;
        Assert.Equal(WebhookOptions.DefaultEventsQueue, parameters["webhookEventsQueue"]!["defaultValue"]!.GetValue<string>());
        Assert.Equal(WebhookOptions.DefaultDeliveriesQueue, parameters["webhookDeliveriesQueue"]!["defaultValue"]!.GetValue<string>());
        // The queue trigger and the app read and write them with the identity's Queue Data Contributor role (see AppRoles).
        Assert.True(AppSettings().ContainsKey("AzureWebJobsStorage__queueServiceUri"));
    }

    [Fact]
    public void Host_storage_is_identity_based()
    {
        var settings = AppSettings();
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]!.GetValue<string>());
        Assert.False(settings.ContainsKey("AzureWebJobsStorage"), "A connection string would need the shared keys the account refuses.");
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.True(settings.ContainsKey($"AzureWebJobsStorage__{service}ServiceUri"), service);
        }
    }

    [Fact]
    public void Instance_count_and_memory_are_checked_when_the_template_compiles()
    {
        var parameters = template.Root["parameters"]!;
        Assert.Equal((40, 1000), (parameters["maximumInstanceCount"]!["minValue"]!.GetValue<int>(), parameters["maximumInstanceCount"]!["maxValue"]!.GetValue<int>()));
        Assert.Equal((512, 4096), (parameters["instanceMemoryMB"]!["minValue"]!.GetValue<int>(), parameters["instanceMemoryMB"]!["maxValue"]!.GetValue<int>()));
        Assert.Equal([512, 2048, 4096], parameters["instanceMemoryMB"]!["allowedValues"]!.AsArray().Select(v => v!.GetValue<int>()));
    }

    [Fact]
    public void Outputs_name_the_app_its_url_and_the_vault()
    {
        var outputs = template.Root["outputs"]!.AsObject();
        Assert.Contains("AZURE_FUNCTION_APP_NAME", outputs.Select(o => o.Key));
        Assert.Contains("AZURE_FUNCTION_APP_URL", outputs.Select(o => o.Key));
        Assert.Contains("AZURE_KEY_VAULT_URI", outputs.Select(o => o.Key));
    }

    [Fact]
    public void Every_top_level_resource_is_tagged()
    {
        var tagged = new[]
        {
            "Microsoft.Web/serverfarms", "Microsoft.Web/sites", "Microsoft.Storage/storageAccounts", "Microsoft.KeyVault/vaults",
            "Microsoft.OperationalInsights/workspaces", "Microsoft.Insights/components",
        };
        Assert.All(tagged, type => Assert.NotNull(template.Single(type)["tags"]));
        // azd deploys the code to the app carrying this tag.
        var apiModule = template.Root["resources"]!.AsArray().Single(r => r.Str("name") == "api")!;
        Assert.Equal("[parameters('appTags')]", template.Single("Microsoft.Web/sites").Str("tags"));
        Assert.Contains("'azd-service-name', 'api'", apiModule["properties"]!["parameters"]!["appTags"].Str("value"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_parameters_file_compiles_and_names_the_environment()
    {
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(ArmTemplate.CompiledDirectory, "main.parameters.json")))!;
        Assert.NotNull(parameters["parameters"]!["environmentName"]);
    }

    private JsonObject ModuleParameters(string module) =>
        template.Root["resources"]!.AsArray().Single(r => r.Str("name") == module)!["properties"]!["parameters"]!.AsObject();

    private IReadOnlyList<string> DependsOn(string module) =>
        template.Root["resources"]!.AsArray().Single(r => r.Str("name") == module)!["dependsOn"]!.AsArray()
            .Select(d => d!.GetValue<string>()).ToList();

    private JsonObject AppSettings() =>
        template.Single("Microsoft.Web/sites/config")["properties"]!.AsObject();

    /// <summary>Role assignments with the role they grant, resolving the storage loop over its role list.</summary>
    private static IEnumerable<(string Role, JsonObject Resource)> AppRoleAssignments(JsonObject rbac)
    {
        var variableRole = new Regex(@"variables\('roleDefinitionIds'\)\.(?<role>\w+)");
        foreach (var assignment in rbac["resources"]!.AsArray().Select(r => r!.AsObject())
                     .Where(r => r.Str("type") == "Microsoft.Authorization/roleAssignments" && r["condition"] is null))
        {
            var roleDefinition = assignment["properties"].Str("roleDefinitionId");
            if (assignment["copy"] is null)
            {
                yield return (variableRole.Match(roleDefinition).Groups["role"].Value, assignment);
                continue;
            }

            var listName = Regex.Match(roleDefinition, @"variables\('(?<list>\w+)'\)\[copyIndex\(\)\]").Groups["list"].Value;
            foreach (var entry in rbac["variables"]![listName]!.AsArray())
            {
                yield return (variableRole.Match(entry!.GetValue<string>()).Groups["role"].Value, assignment);
            }
        }
    }
}
