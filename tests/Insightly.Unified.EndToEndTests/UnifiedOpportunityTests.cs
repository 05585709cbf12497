using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FakeInsightly;

namespace Insightly.Unified.EndToEndTests;

/// <summary>Opportunities: pipeline, stage and status change through Insightly's own calls, after the record is written.</summary>
public sealed class UnifiedOpportunityTests(ApiHostFixture host) : IClassFixture<ApiHostFixture>
{
    [Fact]
    public async Task Creating_an_opportunity_in_a_pipeline_and_won_makes_the_pipeline_and_state_calls()
    {
        var (instance, data, id) = await LinkedAsync();
        var organisation = instance.SeedOrganisations(1)[0]["ORGANISATION_ID"]!.GetValue<long>();
        host.Insightly.ClearRequests();

        using var response = await host.Api.PostAsJsonAsync($"unified/crm/opportunities?integrated_account_id={id}", new JsonObject
        {
            ["name"] = "Big deal",
            ["amount"] = 12500.5,
            ["currency"] = "EUR",
            ["probability"] = 80,
            ["close_date"] = "2025-12-31",
            ["account"] = new JsonObject { ["id"] = organisation.ToString() },
            ["pipeline"] = new JsonObject { ["id"] = data.Sales.Id.ToString() },
            ["stage"] = new JsonObject { ["id"] = data.Sales.StageIds[2].ToString() },
            ["status"] = "won",
        });
        var created = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var oppId = long.Parse(created.Str("id"));
        var stored = instance.Find("Opportunities", oppId)!;
        Assert.Equal(("Big deal", 12500.5, "EUR", 80L), (stored.Str("OPPORTUNITY_NAME"), stored["BID_AMOUNT"]!.GetValue<double>(), stored.Str("BID_CURRENCY"), stored["PROBABILITY"]!.GetValue<long>()));
        Assert.Equal(("WON", data.Sales.Id, data.Sales.StageIds[2]), (stored.Str("OPPORTUNITY_STATE"), stored["PIPELINE_ID"]!.GetValue<long>(), stored["STAGE_ID"]!.GetValue<long>()));
        Assert.Equal("2025-12-31 00:00:00", stored.Str("FORECAST_CLOSE_DATE"));
        Assert.Equal(["POST Opportunities", $"PUT Opportunities/{oppId}/Pipeline", $"PUT Opportunities/{oppId}/StateChange", $"GET Opportunities/{oppId}"],
            host.Insightly.Requests.Where(r => r.Path.StartsWith("Opportunities", StringComparison.Ordinal)).Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(("won", "2025-12-31", data.Sales.Name), (created.Str("status"), created.Str("close_date"), created["pipeline"].Str("name")));
        Assert.Equal(data.Sales.StageIds[2].ToString(), created["stage"].Str("id"));
    }

    [Fact]
    public async Task A_stage_change_and_a_state_change_are_applied_by_a_patch()
    {
        var (instance, data, id) = await LinkedAsync();
        var created = await CreateAsync(id, new JsonObject { ["name"] = "Deal", ["pipeline"] = new JsonObject { ["id"] = data.Sales.Id.ToString() } });

        using var response = await host.Api.PatchAsJsonAsync($"unified/crm/opportunities/{created.Str("id")}?integrated_account_id={id}", new JsonObject
        {
            ["stage"] = new JsonObject { ["id"] = data.Sales.StageIds[1].ToString() },
            ["status"] = "lost",
        });
        var patched = await Json.ReadAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = instance.Find("Opportunities", long.Parse(created.Str("id")))!;
        Assert.Equal(("LOST", data.Sales.StageIds[1]), (stored.Str("OPPORTUNITY_STATE"), stored["STAGE_ID"]!.GetValue<long>()));
        Assert.Equal("lost", patched.Str("status"));
    }

    [Fact]
    public async Task When_a_follow_up_call_fails_the_error_says_which_parts_were_applied()
    {
        var (instance, data, id) = await LinkedAsync();
        var created = await CreateAsync(id, new JsonObject { ["name"] = "Deal", ["pipeline"] = new JsonObject { ["id"] = data.Sales.Id.ToString() } });

        // A stage of another pipeline: Insightly refuses the stage change after the fields were saved.
        using var response = await host.Api.PatchAsJsonAsync($"unified/crm/opportunities/{created.Str("id")}?integrated_account_id={id}", new JsonObject
        {
            ["name"] = "Renamed deal",
            ["stage"] = new JsonObject { ["id"] = data.Partners.StageIds[0].ToString() },
            ["status"] = "won",
        });
        var error = await Json.ReadAsync(response);

        Json.AssertError(error, 422, "remote_validation_error");
        Assert.Equal("""["fields"]""", error["details"]!["applied"].Text());
        Assert.Equal("""["stage","status"]""", error["details"]!["not_applied"].Text());
        Assert.Equal(created.Str("id"), error["details"].Str("id"));
        Assert.Contains("stage", error.Str("message"), StringComparison.Ordinal);
        var stored = instance.Find("Opportunities", long.Parse(created.Str("id")))!;
        Assert.Equal(("Renamed deal", "OPEN"), (stored.Str("OPPORTUNITY_NAME"), stored.Str("OPPORTUNITY_STATE")));
    }

    [Theory]
    [InlineData("{\"stage\":{\"id\":\"1\"},\"name\":\"x\"}", "stage")]
    [InlineData("{\"name\":\"x\",\"status\":\"pending\"}", "status")]
    [InlineData("{\"name\":\"x\",\"probability\":101}", "probability")]
    [InlineData("{\"name\":\"x\",\"amount\":\"lots\"}", "amount")]
    [InlineData("{\"name\":\"x\",\"close_date\":\"31/12/2025\"}", "close_date")]
    [InlineData("{\"name\":\"x\",\"account\":\"55\"}", "account")]
    public async Task A_bad_opportunity_body_is_400_naming_the_field(string body, string field)
    {
        var (_, _, id) = await LinkedAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var error = await Json.ReadAsync(await host.Api.PostAsync($"unified/crm/opportunities?integrated_account_id={id}", content));

        Json.AssertError(error, 400, "invalid_body");
        Assert.Contains(field, error["details"]!["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    private async Task<JsonObject> CreateAsync(string accountId, JsonObject body)
    {
        using var response = await host.Api.PostAsJsonAsync($"unified/crm/opportunities?integrated_account_id={accountId}", body);
        var created = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, created.Text());
        return created;
    }

    private async Task<(FakeInstance Instance, StandardData Data, string AccountId)> LinkedAsync()
    {
        var (instance, key) = host.NewInstance();
        var data = instance.SeedStandardData();
        return (instance, data, (await host.LinkAsync(key)).Str("id"));
    }
}
